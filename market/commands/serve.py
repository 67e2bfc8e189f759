"""CLI commands: serve (database migration, Meilisearch, the outbox and job workers, uvicorn)."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

import typer
from fastapi import FastAPI

from market.database import migrate
from market.settings import Settings, get_settings


def app_factory() -> FastAPI:
    """The app for uvicorn's workers: `market serve` has already migrated the database."""
    from market.app import create_app

    return create_app(get_settings(), migrate_db=False, settle_heap=True)


@contextlib.contextmanager
def search_server(settings: Settings) -> Iterator[tuple[str, str] | None]:
    """(url, key) of Meilisearch: MEILI_URL when set, else a local child process, supervised and
    alone on its data directory (market/search_child.py); None if unavailable."""
    if settings.meili_url:
        yield settings.meili_url, settings.meili_master_key
        return
    try:
        from search_index.server import LocalMeilisearch
    except ImportError:
        typer.echo("未找到搜索模块，本次启动不含搜索功能。")
        yield None
        return
    from market.search_child import supervised

    server = LocalMeilisearch(binary=settings.meili_binary, data_dir=settings.var_dir / "meili")
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(supervised(server, settings.var_dir))
        except Exception as exc:  # the site still works without search: say so and go on
            typer.echo(f"Meilisearch 未能启动（{exc}），本次启动不含搜索功能。")
            yield None
            return
        yield server.url, server.key


@contextlib.contextmanager
def outbox_worker(database_url: str, url: str, key: str, prefix: str) -> Iterator[None]:
    """Run the outbox → search index worker in a background thread for the duration."""
    try:
        from search_index.client import make_client
        from search_index.sync import run_worker
    except ImportError:
        typer.echo("未找到索引同步模块，搜索索引不会自动更新。")
        yield
        return
    stop = threading.Event()
    kwargs: dict[str, Any] = {"database_url": database_url, "client": make_client(url, key or None), "stop_event": stop,
                              "prefix": prefix}
    thread = threading.Thread(target=run_worker, kwargs=kwargs, name="outbox-worker", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


@contextlib.contextmanager
def job_worker(database_url: str) -> Iterator[None]:
    """Run queued background jobs (market.jobs) in a thread for the duration."""
    from market.jobs import run_worker

    stop = threading.Event()
    thread = threading.Thread(target=run_worker, kwargs={"database_url": database_url, "stop_event": stop},
                              name="job-worker", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


class _Stopped(Exception):
    """SIGTERM arrived: leave uvicorn.run and shut the workers down like after Ctrl+C."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Stopped


def serve(host: str | None, port: int | None, workers: int) -> None:
    """Migrate, start search and the index and job workers, then run uvicorn until interrupted."""
    settings = get_settings()
    database_url = settings.resolved_database_url()
    migrate(database_url)
    # uvicorn re-raises the SIGTERM it handled once it has shut down; with the default
    # handler that would kill the process before the workers stop and the goodbye prints
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        _run(settings, database_url, host or settings.host, port or settings.port, workers)
    except (_Stopped, KeyboardInterrupt):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    typer.echo("数转通已停止。")


def _run(settings: Settings, database_url: str, host: str, port: int, workers: int) -> None:
    import uvicorn

    with search_server(settings) as search, job_worker(database_url):
        if search is not None:
            os.environ["MEILI_URL"], os.environ["MEILI_MASTER_KEY"] = search[0], search[1]
            get_settings.cache_clear()
        worker = outbox_worker(database_url, *search, settings.meili_index_prefix) if search else contextlib.nullcontext()
        with worker:
            typer.echo(f"数转通已启动：http://{host}:{port}/ （接口文档 /api/docs，按 Ctrl+C 停止）")
            uvicorn.run("market.commands.serve:app_factory", factory=True, host=host, port=port,
                        workers=workers, log_level="warning", **server_options(settings))


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options: no `server` banner, Nagle off on every connection (market.tcp_nodelay:
    else kept-alive responses wait ~40 ms under `--workers 2`), and forwarded headers believed
    only from the configured proxies (MARKET_FORWARDED_ALLOW_IPS; none by default)."""
    from market.tcp_nodelay import NoDelayHTTPProtocol  # uvicorn's protocols load only to serve

    options: dict[str, Any] = {"timeout_keep_alive": KEEP_ALIVE_S, "server_header": False,
                               "http": NoDelayHTTPProtocol}
    trusted = settings.forwarded_allow_ips.strip()
    if not trusted:
        return options | {"proxy_headers": False}
    return options | {"proxy_headers": True, "forwarded_allow_ips": trusted}


# Idle kept-alive connections stay open this long (uvicorn's default is 5 s). A client that
# reuses a connection at the moment the server drops it gets a reset instead of an answer;
# under load that raced often enough to lose requests. Longer than a proxy's own idle
# timeout (nginx keeps 60 s upstream by default), so the server is never the side that
# closes first.
KEEP_ALIVE_S = 75


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the `market` app."""

    @app.command("serve", help="启动网站与 API（迁移数据库、启动搜索、索引同步与后台任务）")
    def serve_command(
        host: str = typer.Option(None, "--host", help="监听地址（默认取设置 MARKET_HOST）"),
        port: int = typer.Option(None, "--port", help="端口（默认取设置 MARKET_PORT）"),
        workers: int = typer.Option(1, "--workers", min=1, max=64, help="工作进程数"),
    ) -> None:
        serve(host, port, workers)
