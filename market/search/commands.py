"""CLI commands: search (`market reindex`, `market eval search`)."""

from __future__ import annotations

import contextlib
import json
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import meilisearch
import typer

from market.database import migrate
from market.settings import Settings, get_settings
from search_index.client import make_client
from search_index.server import LocalMeilisearch, local_server_from_settings

Paths = Annotated[list[Path], typer.Option("--catalog", help="交换格式的目录文件（JSON 或 xlsx），可多次给出")]


@contextlib.contextmanager
def meili_client(settings: Settings, *, data_dir: Path | None = None) -> Iterator[meilisearch.Client]:
    """A client for MEILI_URL, or for a local server started for the duration (in `data_dir`)."""
    if settings.meili_url:
        yield make_client(settings.meili_url, settings.meili_master_key or None)
        return
    if data_dir is None:
        server = local_server_from_settings(settings)
    else:
        server = LocalMeilisearch(binary=settings.meili_binary, data_dir=data_dir / "meili", key=secrets.token_urlsafe(24))
    with server:
        yield make_client(server.url, server.key)


def load_catalog(database_url: str, paths: list[Path]) -> None:
    """Import a catalogue in the exchange format into the database, all published."""
    from catalog.db import session_scope
    from catalog.exchange.imports import import_paths

    with session_scope(database_url) as session:
        import_paths(session=session, paths=paths, actor="eval")


def reindex_command(
    database_url: Annotated[str, typer.Option("--database-url", help="数据库地址（默认取设置）")] = "",
) -> None:
    """从数据库重建搜索索引，建好后原子切换（重建期间搜索不中断）。"""
    from search_index.sync import reindex

    settings = get_settings()
    url = database_url or settings.resolved_database_url()
    with meili_client(settings) as client:
        counts = reindex(database_url=url, client=client, prefix=settings.meili_index_prefix)
    typer.echo("索引已重建：" + "，".join(f"{k} {v} 条" for k, v in counts.items()))


def _evaluate(paths: list[Path], queries_path: Path, baseline: bool) -> dict[str, Any]:
    from search_index.evaluation import (
        baseline_ranker,
        build_baseline_index,
        load_queries,
        project_ranker,
        run_queries,
    )
    from search_index.sync import reindex

    settings = get_settings()
    queries = load_queries(queries_path)
    with tempfile.TemporaryDirectory(prefix="szt-eval-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'eval.db'}"
        migrate(database_url)
        load_catalog(database_url, paths)
        prefix = f"eval{secrets.token_hex(4)}"
        with meili_client(settings, data_dir=Path(tmp)) as client:
            try:
                if baseline:
                    solutions = [s for p in paths for s in json.loads(p.read_text("utf-8")).get("solutions", [])]
                    uid = f"{prefix}_baseline"
                    build_baseline_index(client, uid, solutions)
                    return run_queries(queries, baseline_ranker(client, uid))
                reindex(database_url=database_url, client=client, prefix=prefix)
                return run_queries(queries, project_ranker(client, prefix))
            finally:
                if settings.meili_url:
                    for index in client.get_indexes({"limit": 1000})["results"]:
                        if index.uid.startswith(prefix):
                            client.delete_index(index.uid)


def _print_table(report: dict[str, Any]) -> None:
    rows = [("全部", report["overall"])] + sorted(report["styles"].items())
    typer.echo(f"{'查询类型':<12}{'查询数':>6}{'ndcg@10':>10}{'recall@10':>11}{'mrr':>8}{'p50(ms)':>10}{'p95(ms)':>10}")
    for name, m in rows:
        typer.echo(f"{name:<12}{m['queries']:>6}{m['ndcg@10']:>10.3f}{m['recall@10']:>11.3f}{m['mrr']:>8.3f}"
                   f"{m['p50_ms']:>10.1f}{m['p95_ms']:>10.1f}")


def eval_search_command(
    catalog: Paths,
    queries: Annotated[Path, typer.Option("--queries", help="评测查询文件（judged/queries.json 格式）")],
    as_json: Annotated[bool, typer.Option("--json", help="只输出一个 JSON 对象")] = False,
    baseline: Annotated[bool, typer.Option("--baseline", help="用默认设置的 Meilisearch 作对照")] = False,
) -> None:
    """在评测集上评估搜索质量：ndcg@10、recall@10、mrr 与延迟，总体及按查询类型。"""
    with contextlib.redirect_stdout(_Discard()) if as_json else contextlib.nullcontext():
        report = _evaluate(catalog, queries, baseline)
    if as_json:
        for part in [report["overall"], *report["styles"].values()]:
            part.pop("queries", None)
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    typer.echo("对照：默认设置的 Meilisearch" if baseline else "本项目搜索（查询理解 + 重排）")
    _print_table(report)


class _Discard:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        return None


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the `market` app."""
    app.command("reindex")(reindex_command)
    eval_app.command("search")(eval_search_command)
