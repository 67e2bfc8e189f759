"""The FastAPI application: routers found in the feature packages of market/, error handlers,
security headers, upload limits, static files and the OpenAPI description."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from market import heap
from market.admission import Admission
from market.database import migrate
from market.error_handlers import install_error_handlers, unexpected_response
from market.errors import PayloadTooLarge
from market.exchange import import_gate
from market.matching import read_ahead
from market.permissions.declared import enforce_declarations
from market.request_ids import RequestIds
from market.settings import Settings, get_settings

log = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     b"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the security headers to every response, and HSTS to those served over HTTPS when
    `hsts_seconds` is set (MARKET_HSTS_SECONDS: only once the site is reachable by HTTPS alone)."""

    def __init__(self, app: ASGIApp, hsts_seconds: int = 0) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains".encode() if hsts_seconds > 0 else b""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = SECURITY_HEADERS
        if self.hsts and scope.get("scheme") == "https":
            headers = [*SECURITY_HEADERS, (b"strict-transport-security", self.hsts)]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in headers if k not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class UploadLimit:
    """Refuses request bodies above the configured size (declared or streamed): a file upload
    (multipart) up to `max_bytes`, any other body (JSON, a form) up to `max_plain_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_plain_bytes: int | None = None) -> None:
        self.app = app
        self.max_upload_bytes = max_bytes
        self.max_plain_bytes = max_plain_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        upload = headers.get(b"content-type", b"").lower().startswith(b"multipart/")
        limit = self.max_upload_bytes if upload else self.max_plain_bytes
        await self._limited(scope, receive, send, headers.get(b"content-length"), limit)

    async def _limited(self, scope: Scope, receive: Receive, send: Send, declared: bytes | None,
                       limit: int) -> None:
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, receive, send, limit)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise PayloadTooLarge(message=_too_large_text(limit))
            return message

        await self.app(scope, counting_receive, send)


def _too_large_text(max_bytes: int) -> str:
    if max_bytes < 1024 * 1024:
        return f"提交的内容过大：不能超过 {max_bytes // 1024} KB"
    return f"上传内容过大：不能超过 {max_bytes // (1024 * 1024)} MB"


async def _too_large(scope: Scope, receive: Receive, send: Send, max_bytes: int) -> None:
    from fastapi.responses import JSONResponse

    body = {"code": "payload_too_large", "message": _too_large_text(max_bytes)}
    await JSONResponse(body, status_code=413)(scope, receive, send)


# Routers tried first, busiest first: a request is matched against the routes one by one,
# and walking ~30 routers' routes cost a search 0.3 ms. (No path of one router matches
# another's routes: tests/market/test_routes.py checks that no route hides another.)
BUSIEST = ("market.search.api", "market.solutions.api", "market.matching.api", "market.public.pages")


ROUTER_MODULE = re.compile(r"api|pages|\w+_api|\w+_pages")


def router_modules() -> list[str]:
    """The modules that hold routes: in each package of market/ (market/events/, market/web/ …),
    those named `api`, `pages`, `…_api` or `…_pages`.

    Only the package folders inside market/ are walked: a namespace package's path would
    also take in same-named folders elsewhere on sys.path (tests/market/…).
    """
    found = []
    for package in pkgutil.iter_modules([str(PACKAGE_DIR)]):
        if package.ispkg:
            found += [f"market.{package.name}.{info.name}"
                      for info in pkgutil.iter_modules([str(PACKAGE_DIR / package.name)])
                      if not info.ispkg and ROUTER_MODULE.fullmatch(info.name)]
    return sorted(found)


def discover_routers() -> list[APIRouter]:
    """Every `router` attribute of the router modules: the BUSIEST first, then the others by
    module name."""
    found: list[tuple[str, APIRouter]] = []
    for name in router_modules():
        router = getattr(importlib.import_module(name), "router", None)
        if isinstance(router, APIRouter):
            found.append((name, router))

    def rank(item: tuple[str, APIRouter]) -> tuple[int, str]:
        name = item[0]
        return (BUSIEST.index(name) if name in BUSIEST else len(BUSIEST), name)

    return [router for _, router in sorted(found, key=rank)]


def _make_search_client(settings: Settings) -> Any:
    if not settings.meili_url:
        return None
    from search_index.client import make_client

    return make_client(settings.meili_url, settings.meili_master_key or None)


def _learn_in_background(app: FastAPI) -> None:
    """A served worker learns the catalogue's text for search as it starts, in the
    background: its first searches do not wait for it (search_index.textual)."""
    if app.state.search is None:
        return
    from search_index.client import index_uid
    from search_index.query import relearner
    from search_index.textual import snapshots

    uid = index_uid(app.state.settings.meili_index_prefix, "solutions")
    snapshots.stale(uid, relearner(app.state.search))


def _lifespan(migrate_db: bool, settle_heap: bool):  # type: ignore[no-untyped-def]
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate_db:
            migrate(app.state.database_url)
        app.state.search = _make_search_client(app.state.settings)
        if settle_heap:
            heap.settle()
            _learn_in_background(app)
        try:
            yield
        finally:
            if settle_heap:
                heap.release()

    return lifespan


def create_app(settings: Settings | None = None, *, migrate_db: bool = True, settle_heap: bool = False) -> FastAPI:
    """Build the app; `migrate_db=False` skips migrating on startup (already done by the caller);
    `settle_heap` exempts what is loaded at startup from garbage collection (`market.heap`),
    for a served worker."""
    settings = settings or get_settings()
    app = FastAPI(
        title="数转通 API",
        description="中小企业数字化转型试点的服务资源池与供需匹配平台。错误统一返回 {code, message, details}。",
        version="1.0",
        openapi_url=None,  # served by market/web/docs_pages.py, which declares its permission
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan(migrate_db, settle_heap),
    )
    app.state.settings = settings
    app.state.database_url = settings.resolved_database_url()
    app.state.search = None
    install_error_handlers(app)
    import_gate.configure(settings.max_imports)
    read_ahead.install()  # a saved need is read for recommendations before anyone asks
    for router in discover_routers():
        app.include_router(enforce_declarations(router))  # each route's declared roles, checked first
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    app.add_middleware(RequestIds, answer_bug=unexpected_response)  # innermost: a bug's 500 still gets the security headers
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_mb * 1024 * 1024,
                       max_plain_bytes=settings.max_body_kb * 1024)
    app.add_middleware(SecurityHeaders, hsts_seconds=settings.hsts_seconds)
    app.add_middleware(Admission, limit=settings.max_active_requests)  # outermost: waiting holds nothing
    return app


def route_table(app: FastAPI) -> list[tuple[str, str, Any]]:
    """(method, path template, original route) for every HTTP route of the app, flattened."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before included routers were kept lazily
        contexts: list[Any] = list(app.routes)
    else:
        contexts = list(iter_route_contexts(app.routes))
    table = []
    for ctx in contexts:
        methods = getattr(ctx, "methods", None)
        path = getattr(ctx, "path", None)
        if not methods or not path:
            continue
        original = getattr(ctx, "original_route", ctx)
        table += [(m, path, original) for m in sorted(methods) if m != "HEAD"]
    return table
