"""Jinja2 templates and `render`, which adds the current user, CSRF token, flashes and nav."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import TemplateNotFound
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session

from catalog.db import get_engine
from catalog.users.models import Role, User
from market.auth import csrf
from market.auth.current import resolve_user
from market.auth.tokens import secret_key

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))

FLASH_COOKIE = "szt_flash"

# Navigation by role: (label, url). Everyone gets PUBLIC_NAV first.
PUBLIC_NAV: list[tuple[str, str]] = [("首页", "/"), ("解决方案", "/solutions"), ("服务商", "/providers")]
ROLE_NAV: dict[str, list[tuple[str, str]]] = {
    Role.BUREAU: [
        ("审核队列", "/bureau/review"), ("服务商管理", "/bureau/providers"),
        ("方案管理", "/bureau/solutions"), ("企业管理", "/bureau/enterprises"),
        ("导入", "/bureau/import"), ("导出", "/bureau/export"), ("批量匹配", "/bureau/cohort"),
        ("产业链", "/chains"), ("对接活动", "/events"), ("商机跟进", "/bureau/leads"), ("试点进度", "/progress"),
    ],
    Role.PROVIDER: [("工作台", "/provider"), ("机构资料", "/provider/profile"), ("我的方案", "/provider/solutions"),
                    ("商机", "/provider/leads"), ("对接活动", "/events")],
    Role.ENTERPRISE: [("企业资料", "/enterprise"), ("需求清单", "/enterprise/needs"),
                      ("推荐方案", "/enterprise/matches"), ("推荐组合", "/enterprise/bundle"),
                      ("对接进展", "/enterprise/engagements"), ("对接活动", "/events")],
    Role.CHAIN_LEADER: [("产业链", "/chains"), ("企业资料", "/enterprise"), ("需求清单", "/enterprise/needs"),
                        ("推荐方案", "/enterprise/matches"), ("推荐组合", "/enterprise/bundle"),
                        ("对接进展", "/enterprise/engagements"), ("对接活动", "/events")],
}
ROLE_LABELS: dict[str, str] = {Role.BUREAU: "主管部门", Role.PROVIDER: "服务商", Role.ENTERPRISE: "试点企业", Role.CHAIN_LEADER: "链主企业"}


def nav_for(user: User | None) -> list[dict[str, str]]:
    """Navigation items for the user's role."""
    items = list(PUBLIC_NAV)
    if user is not None:
        items += ROLE_NAV.get(user.role, [])
    return [{"label": label, "url": url} for label, url in items]


def _flash_serializer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key(request.app.state.settings), salt="flash")


def _pending_flashes(request: Request) -> list[dict[str, str]]:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return []
    try:
        value = _flash_serializer(request).loads(raw)
    except BadSignature:
        return []
    return [m for m in value if isinstance(m, dict)] if isinstance(value, list) else []


def flash(request: Request, response: Response, message: str, kind: str = "success") -> None:
    """Queue a message for the next page this client sees (kinds: success, info, warning, error)."""
    messages = _pending_flashes(request) + [{"kind": kind, "message": message}]
    response.set_cookie(
        FLASH_COOKIE, _flash_serializer(request).dumps(messages[-5:]), httponly=True, samesite="lax",
        secure=request.url.scheme == "https", path="/",
    )


def _current_user(request: Request) -> User | None:
    if hasattr(request.state, "user"):
        return request.state.user  # type: ignore[no-any-return]
    with Session(get_engine(request.app.state.database_url), expire_on_commit=False) as session:
        try:
            return resolve_user(request, session)
        except Exception:  # an invalid bearer token on a page: render as anonymous
            request.state.user = None
            return None


def _unread(request: Request, user: User | None) -> int:
    """The user's unread messages for the header (0 when the database cannot say)."""
    if user is None or user.id is None:
        return 0
    from catalog.notifications.service import unread_count

    try:
        with Session(get_engine(request.app.state.database_url)) as session:
            return unread_count(session=session, user_id=user.id)
    except Exception:  # the header must render even when the database is what failed
        return 0


def _context(request: Request, context: dict[str, Any], user: User | None) -> dict[str, Any]:
    flashes = _pending_flashes(request)
    base = {
        "request": request,
        "current_user": user,
        "role_label": ROLE_LABELS.get(user.role, "") if user else "",
        "csrf_token": csrf.csrf_token(request),
        "csrf_field": csrf.CSRF_FIELD,
        "flashes": flashes,
        "nav": nav_for(user),
        "unread_count": _unread(request, user),
        "current_path": request.url.path,
    }
    return {**base, **context}


def _finish(request: Request, response: Response, had_flashes: bool) -> Response:
    csrf.set_csrf_cookie(request, response)
    if had_flashes:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def render(request: Request, template_name: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> HTMLResponse:
    """Render a page with current_user, csrf_token, flashes and nav injected."""
    full = _context(request, context or {}, _current_user(request))
    response = templates.TemplateResponse(request, template_name, full, status_code=status_code)
    _finish(request, response, bool(full["flashes"]))
    return response


def render_error_page(request: Request, *, status: int, code: str, message: str) -> Response:
    """The Chinese error page. It reads the database at most once, to reload the user (and login
    session) that the failed request's rollback expired; if that read fails too (the database may
    be what failed), the page renders as for an anonymous visitor."""
    user = _readable(request, getattr(request.state, "user", None), User)
    if getattr(request.state, "login_session", None) is not None:
        from market.models import LoginSession

        request.state.login_session = _readable(request, request.state.login_session, LoginSession)
    titles = {401: "请先登录", 403: "无权访问", 404: "页面不存在", 429: "请稍后再试", 500: "服务器出错了", 503: "服务暂不可用"}
    context = {"status": status, "code": code, "message": message, "title": titles.get(status, "出错了")}
    try:
        full = _context(request, context, user)
        response = templates.TemplateResponse(request, "error.html", full, status_code=status)
    except TemplateNotFound:
        return HTMLResponse(minimal_error_page(status, str(context["title"]), message), status_code=status)
    return _finish(request, response, bool(full["flashes"]))


def _readable(request: Request, instance: Any, model: Any) -> Any:
    """`instance`, or a fresh copy when the failed request's rollback expired it (None if unreadable)."""
    if instance is None or not sa_inspect(instance).expired:
        return instance
    try:
        with Session(get_engine(request.app.state.database_url), expire_on_commit=False) as session:
            return session.get(model, sa_inspect(instance).identity[0])
    except Exception:  # the database may be what failed: render as anonymous
        return None


def minimal_error_page(status: int, title: str, message: str) -> str:
    """A bare Chinese error page that needs neither templates nor the database."""
    return (
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)} - 数转通</title></head><body><h1>{status} {escape(title)}</h1>"
        f"<p>{escape(message)}</p><p><a href=\"/\">返回首页</a></p></body></html>"
    )

