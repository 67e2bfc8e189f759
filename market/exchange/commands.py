"""CLI commands: catalog — `market import`, `market export`, `market audit verify`.

Every command migrates the database first (works on an empty one), uses the URL from
the settings (MARKET_DATABASE_URL), commits once at the end, and reports expected
failures in Chinese with a non-zero exit code, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from catalog.audit import service as audit
from catalog.db import session_scope
from catalog.errors import ImportRejected, MarketError
from catalog.exchange import exports, imports
from catalog.providers.models import ListingStatus
from market.database import migrate
from market.settings import get_settings

console = Console()
err_console = Console(stderr=True)
audit_app = typer.Typer(help="审计日志（全过程留痕、防篡改）", no_args_is_help=True)


def _database_url() -> str:
    url = get_settings().resolved_database_url()
    migrate(url)
    return url


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update


def _print_row_errors(error: ImportRejected) -> None:
    table = Table(title=f"导入被拒绝：共 {len(error.errors)} 处错误，未保存任何数据", show_lines=False)
    for title in ("文件", "工作表", "行", "列", "值", "问题"):
        table.add_column(title, overflow="fold")
    for row_error in error.errors:
        value = "" if row_error.value is None else str(row_error.value)
        table.add_row(Path(row_error.file).name if row_error.file else "", row_error.sheet,
                      "" if row_error.row is None else str(row_error.row), row_error.column,
                      value[:60], row_error.message)
    # Piped output (logs, CI) gets a wide table so that no message is broken across lines.
    out = console if console.is_terminal else Console(width=220)
    out.print(table)


def import_command(
    paths: list[Path] = typer.Argument(..., help="要导入的 .xlsx / .json 文件或文件夹"),
    actor: str = typer.Option("cli", "--actor", help="记入审计日志的操作人"),
    pending: bool = typer.Option(False, "--pending", help="新服务商和产品设为“待审核”（默认“已入库”）"),
) -> None:
    """导入服务商、产品、试点企业、需求清单和产业链关系（全部校验通过才保存）。"""
    status = ListingStatus.PENDING if pending else ListingStatus.PUBLISHED
    try:
        with session_scope(_database_url()) as session, _progress("导入") as progress:
            report = imports.import_paths(session=session, paths=paths, actor=actor, progress=progress,
                                          status=status)
    except ImportRejected as exc:
        _print_row_errors(exc)
        raise typer.Exit(1) from None
    except MarketError as exc:
        err_console.print(f"[red]导入失败：{exc.message}[/red]")
        raise typer.Exit(1) from None
    for warning in report.warnings:
        console.print(f"[yellow]提示：{warning}[/yellow]")
    for duplicate in report.duplicates:
        console.print(f"[yellow]疑似重复：{duplicate}[/yellow]")
    console.print(f"导入完成（{len(report.files)} 个文件，{report.rows} 行）")
    console.print(report.summary_zh())


def export_command(path: Path = typer.Argument(..., help="导出到的文件，扩展名 .xlsx 或 .json")) -> None:
    """按交换格式导出全部服务商、产品、企业、需求和产业链关系。"""
    if path.suffix.lower() not in (".xlsx", ".json"):
        err_console.print(f"[red]导出失败：不支持的文件类型“{path.suffix}”，应为 .xlsx 或 .json[/red]")
        raise typer.Exit(2)
    try:
        with session_scope(_database_url()) as session, _progress("导出") as progress:
            rows = exports.export_path(session=session, path=path, progress=progress)
    except OSError as exc:
        err_console.print(f"[red]导出失败：无法写入文件 {path}（{exc.strerror}）[/red]")
        raise typer.Exit(1) from None
    console.print(f"已导出 {rows} 行到 {path}")


def verify_command() -> None:
    """校验审计日志的哈希链：发现被篡改或删除的记录时以非零状态退出。"""
    with session_scope(_database_url()) as session:
        result = audit.verify(session=session)
    if result.ok:
        console.print(f"[green]{result.message_zh}[/green]")
        return
    err_console.print(f"[red]{result.message_zh}（问题记录编号：{result.first_bad_id}；此前 {result.checked} 条完好）[/red]")
    raise typer.Exit(1)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the `market` app."""
    app.command("import")(import_command)
    app.command("export")(export_command)
    audit_app.command("verify")(verify_command)
    app.add_typer(audit_app, name="audit")
