"""CLI commands: match (`market eval match`, `market match cohort`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from catalog.enterprises.queries import CohortScope, operator_cohort
from catalog.errors import MarketError
from matching.cohort import CohortResult, match_cohort
from matching.config import SHORTLIST
from matching.evaluate import evaluate_queries, load_queries, summarize
from matching.records import EnterpriseRecord, NeedRecord, load_catalogue, load_enterprises
from matching.scoring import MatchContext

console = Console()
match_app = typer.Typer(help="供需匹配：为企业需求推荐产品、批量匹配与缺口分析", no_args_is_help=True)

CatalogOpt = Annotated[Path, typer.Option("--catalog", help="产品目录（交换格式 JSON）", exists=True)]


def eval_match(
    catalog: CatalogOpt,
    queries: Annotated[Path, typer.Option("--queries", help="评测查询（带相关性标注的 JSON）", exists=True)],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """通过匹配引擎在评测集上计算 ndcg@10、recall@10、mrr（总体与分类型）。"""
    loaded = load_catalogue(catalog)
    ctx = MatchContext(loaded.solutions, loaded.providers)
    summary = summarize(evaluate_queries(ctx, load_queries(queries)))
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    table = Table(title="匹配质量评测")
    for column in ("类型", "查询数", "ndcg@10", "recall@10", "mrr", "p50(ms)", "p95(ms)"):
        table.add_column(column)
    rows = [("总体", summary["overall"])] + list(summary["styles"].items())
    for name, block in rows:
        table.add_row(name, str(block["queries"]), f"{block['ndcg@10']:.4f}",
                      f"{block['recall@10']:.4f}", f"{block['mrr']:.4f}",
                      f"{block['p50_ms']:.1f}", f"{block['p95_ms']:.1f}")
    console.print(table)


def _from_database(scope: CohortScope) -> tuple[MatchContext, tuple[list[EnterpriseRecord], list[NeedRecord]]]:
    """The published catalogue and the scope's enterprises with their needs, from the DB."""
    from catalog.db import session_scope
    from catalog.enterprises.queries import cohort_members
    from market.matching.context import enterprise_record, match_context, need_record
    from market.settings import get_settings

    with session_scope(get_settings().resolved_database_url()) as session:
        ctx = match_context(session)
        rows, needs = cohort_members(session=session, scope=scope)
        return ctx, ([enterprise_record(e) for e in rows], [need_record(n) for n in needs])


def _select(enterprises: list[EnterpriseRecord], needs: list[NeedRecord],
            scope: CohortScope) -> tuple[list[EnterpriseRecord], list[NeedRecord]]:
    """The scope's enterprises of a file and their needs."""
    chosen = [e for e in enterprises if scope.covers(e.region, e.industry, None)]
    ids = {e.id for e in chosen}
    return chosen, [n for n in needs if n.enterprise_id in ids]


def cohort(
    catalog: Annotated[Path | None, typer.Option(
        "--catalog", help="产品目录（交换格式 JSON）；不给出时使用数据库中已入库的产品", exists=True)] = None,
    enterprises_path: Annotated[Path | None, typer.Option(
        "--enterprises", help="企业与需求清单（交换格式 JSON）；不给出时使用数据库中的企业", exists=True)] = None,
    batch: Annotated[int | None, typer.Option("--batch", help="只匹配该试点批次（数据库模式）")] = None,
    industry: Annotated[str | None, typer.Option("--industry", help="只匹配该行业（代码或名称，含下级行业）")] = None,
    region: Annotated[str | None, typer.Option("--region", "--city",
                                               help="只匹配该地区的企业（地区的开头部分，如 江西省九江市）")] = None,
    top_k: Annotated[int, typer.Option("--top-k", help="每条需求保留的备选数")] = SHORTLIST,
    out: Annotated[Path | None, typer.Option("--out", help="把完整结果写入此 JSON 文件")] = None,
) -> None:
    """批量匹配一批企业：每条需求的推荐、按服务商容量的分配建议和缺口报告。"""
    if (catalog is None) != (enterprises_path is None):
        console.print("[red]--catalog 与 --enterprises 需同时给出，或都不给出（使用数据库）[/red]")
        raise typer.Exit(2)
    try:
        if catalog is not None and enterprises_path is not None:
            loaded = load_catalogue(catalog)
            ctx = MatchContext(loaded.solutions, loaded.providers)
            enterprises, needs = _select(*load_enterprises(enterprises_path), operator_cohort(region=region, industry=industry))
        else:
            ctx, (enterprises, needs) = _from_database(operator_cohort(region=region, batch=batch, industry=industry))
    except MarketError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from error
    if not needs:
        console.print("[yellow]没有符合条件的企业需求[/yellow]")
        raise typer.Exit(1)
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console) as bar:
        task = bar.add_task("匹配需求", total=len(needs))
        result = match_cohort(enterprises=enterprises, needs=needs, ctx=ctx, k=top_k,
                              progress=lambda done, total: bar.update(task, completed=done))
    _print_cohort(result, len(enterprises), len(needs), ctx)
    if out is not None:
        data = result.as_dict()
        data["shortlists"] = {n: [m.as_dict() for m in ms] for n, ms in result.shortlists.items()}
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
        console.print(f"完整结果已写入 {out}")


def _print_cohort(result: CohortResult, enterprises: int, needs: int, ctx: MatchContext) -> None:
    assigned = sum(1 for o in result.allocation.assigned.values() if o is not None)
    console.print(f"企业 {enterprises} 家，需求 {needs} 条；已分配 {assigned} 条，"
                  f"总匹配分 {result.allocation.total:.2f}")
    loads = Table(title="服务商分配（家）")
    loads.add_column("服务商")
    loads.add_column("分配企业数")
    loads.add_column("容量")
    for provider, ents in sorted(result.allocation.provider_enterprises.items(),
                                 key=lambda item: -len(item[1]))[:15]:
        record = ctx.provider(provider)
        loads.add_row(record.name or provider, str(len(ents)), str(record.capacity))
    console.print(loads)
    gaps = Table(title="缺口报告：没有合适产品的需求")
    for column in ("场景", "行业", "缺口原因", "需求数", "示例"):
        gaps.add_column(column)
    for gap in result.gaps[:20]:
        gaps.add_row(gap.scenario, gap.industry, gap.reason_zh, str(len(gap.need_ids)), gap.examples[0][:40])
    console.print(gaps if result.gaps else "没有缺口：每条需求都有匹配度达标的产品")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the `market` app."""
    eval_app.command("match")(eval_match)
    match_app.command("cohort")(cohort)
    app.add_typer(match_app, name="match")
