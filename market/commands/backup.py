"""CLI commands: `market backup DIR` and `market restore DIR` (see market/backup.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from catalog.errors import MarketError
from market import backup as backup_service
from market.settings import Settings, get_settings


@contextlib.contextmanager
def _search(settings: Settings) -> Iterator[tuple[Any, Path | None]]:
    """(client, dump dir) of Meilisearch: MEILI_URL, else the local server; (None, None) if unavailable."""
    from search_index.client import make_client

    if settings.meili_url:
        yield make_client(settings.meili_url, settings.meili_master_key or None), None
        return
    from search_index.server import local_server_from_settings

    server = local_server_from_settings(settings)
    try:
        server.start()
    except Exception as exc:  # the index is derived: go on without it, and say so
        typer.echo(f"Meilisearch 未能启动（{exc}），本次不处理搜索索引。")
        yield None, None
        return
    try:
        yield make_client(server.url, server.key), server.data_dir / "dumps"
    finally:
        server.stop()


def backup_command(directory: Path = typer.Argument(..., help="备份写入的目录（须为空或不存在）")) -> None:
    """备份：数据库的一致性转储、搜索索引转储，以及含行数和审计链末条哈希的清单。"""
    settings = get_settings()
    url = settings.resolved_database_url()
    backup_service.migrate(url)
    try:
        with _search(settings) as (client, dump_dir):
            manifest = backup_service.backup(database_url=url, out_dir=directory, client=client,
                                             meili_dump_dir=dump_dir)
    except MarketError as exc:
        typer.echo(f"备份失败：{exc.message}", err=True)
        raise typer.Exit(1) from None
    total = sum(manifest["counts"].values())
    head = manifest["audit_head"]
    typer.echo(f"备份完成：{directory}（{len(manifest['counts'])} 张表，共 {total} 行；"
               f"审计链末条 #{head['id']} {head['hash'][:12]}…）")
    search = manifest["search"]
    typer.echo("搜索索引已转储。" if search["status"] == "dumped" else search["reason_zh"])


def restore_command(directory: Path = typer.Argument(..., help="备份所在目录")) -> None:
    """恢复：把备份写入一个空实例，核对行数与审计链，再从数据库重建搜索索引。"""
    settings = get_settings()
    url = settings.resolved_database_url()
    try:
        with _search(settings) as (client, _dump_dir):
            report = backup_service.restore(database_url=url, in_dir=directory, client=client,
                                            prefix=settings.meili_index_prefix)
    except MarketError as exc:
        typer.echo(f"恢复失败：{exc.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"恢复完成：共 {sum(report.counts.values())} 行。{report.audit_message_zh}")
    if report.reindexed is not None:
        typer.echo("搜索索引已重建：" + "，".join(f"{k} {v} 条" for k, v in report.reindexed.items()))
    else:
        typer.echo("未连接搜索服务：请稍后运行 market reindex 重建搜索索引。")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the `market` app."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
