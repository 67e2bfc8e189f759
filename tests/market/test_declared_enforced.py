"""A route's declared roles are checked before its handler runs, even when the handler checks
nothing itself: routes added here declare their roles and take no user at all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from market import app as market_app
from market.app import create_app, route_table
from market.permissions.declared import (
    BUREAU,
    ENTERPRISES,
    LOGGED_IN,
    PUBLIC,
    Permission,
    admission,
    declared,
    enforce_declarations,
    refusal,
    requires,
)
from market.settings import Settings

forgetful = APIRouter()
ran: list[str] = []


@forgetful.get("/api/forgetful/bureau", openapi_extra=requires(BUREAU))
async def bureau_only() -> dict[str, bool]:
    """Forgets to ask for a bureau user."""
    ran.append("bureau")
    return {"ok": True}


@forgetful.post("/api/forgetful/anyone-logged-in", openapi_extra=requires(LOGGED_IN))
async def logged_in_only() -> dict[str, bool]:
    ran.append("logged_in")
    return {"ok": True}


@forgetful.get("/forgetful/enterprise", response_class=HTMLResponse, openapi_extra=requires(ENTERPRISES))
async def enterprise_page() -> HTMLResponse:
    """A page that forgets to ask for an enterprise user."""
    ran.append("page")
    return HTMLResponse("<p>企业页面</p>")


@forgetful.get("/api/forgetful/public", openapi_extra=requires(PUBLIC))
async def public() -> dict[str, bool]:
    return {"ok": True}


@pytest.fixture
def forgetful_client(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The real app, built by create_app, with the forgetful routes among its routers."""
    routers = market_app.discover_routers()
    monkeypatch.setattr(market_app, "discover_routers", lambda: [*routers, forgetful])
    ran.clear()
    with TestClient(create_app(settings, migrate_db=False), base_url="http://testserver") as c:
        yield c


def test_the_public_is_asked_to_log_in_before_the_handler_runs(forgetful_client, world) -> None:
    response = forgetful_client.get("/api/forgetful/bureau")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated" and response.json()["message"] == "请先登录"
    assert response.headers["www-authenticate"] == "Bearer"
    assert forgetful_client.post("/api/forgetful/anyone-logged-in").status_code == 401
    page = forgetful_client.get("/forgetful/enterprise", headers={"Accept": "text/html"})
    assert page.status_code == 401 and "请先登录" in page.text and "text/html" in page.headers["content-type"]
    assert ran == []


def test_a_role_not_declared_is_refused_before_the_handler_runs(forgetful_client, world, as_user) -> None:
    response = forgetful_client.get("/api/forgetful/bureau", headers=as_user("provider_a"))
    assert response.status_code == 403
    assert response.json()["code"] == "wrong_role" and response.json()["message"] == "仅限主管部门（工信局）用户操作"
    page = forgetful_client.get("/forgetful/enterprise", headers={**as_user("jj_bureau"), "Accept": "text/html"})
    assert page.status_code == 403 and "仅限试点企业用户操作" in page.text
    assert ran == []


def test_the_declared_roles_pass(forgetful_client, world, as_user) -> None:
    assert forgetful_client.get("/api/forgetful/bureau", headers=as_user("jj_bureau")).status_code == 200
    assert forgetful_client.post("/api/forgetful/anyone-logged-in", headers=as_user("provider_a")).status_code == 200
    for username in ("ent_sharing", "chain_leader"):  # a chain leader is an enterprise too
        page = forgetful_client.get("/forgetful/enterprise", headers={**as_user(username), "Accept": "text/html"})
        assert page.status_code == 200, username
    assert forgetful_client.get("/api/forgetful/public").status_code == 200
    assert ran == ["bureau", "logged_in", "page", "page"]


def test_every_route_of_the_app_checks_its_declaration_first(client) -> None:
    """Every route that does not admit everyone has its check as its first dependency; a
    public route has none (it would cost every request of the search API)."""
    wrong = []
    for method, path, route in route_table(client.app):
        permission = declared(route)
        first = route.dependencies[0] if route.dependencies else None
        if permission is None:
            continue
        if permission == PUBLIC and admission(permission) in route.dependencies:
            wrong.append(f"{method} {path}: 公开路由不应检查角色")
        if permission != PUBLIC and first is not admission(permission):
            wrong.append(f"{method} {path}: 未在处理函数之前检查声明的角色 {permission}")
    assert wrong == [], "\n".join(wrong)


def test_enforcing_twice_adds_the_check_once() -> None:
    enforce_declarations(forgetful)
    enforce_declarations(forgetful)
    for route in forgetful.routes:
        checks = [d for d in getattr(route, "dependencies", []) if d is admission(declared(route) or PUBLIC)]
        assert len(checks) == (0 if declared(route) == PUBLIC else 1)


def test_refusal_messages() -> None:
    assert refusal(BUREAU | Permission.PROVIDER, None) is not None
    assert refusal(PUBLIC, None) is None
    error = refusal(BUREAU | Permission.PROVIDER, _user("enterprise"))
    assert error is not None and error.status == 403 and error.message == "仅限主管部门（工信局）、服务商用户操作"
    assert refusal(ENTERPRISES, _user("chain_leader")) is None
    error = refusal(Permission.CHAIN_LEADER | BUREAU, _user("provider"))
    assert error is not None and error.message == "仅限主管部门（工信局）、链主企业用户操作"


def _user(role: str):  # type: ignore[no-untyped-def]
    from catalog.users.models import User

    return User(username="someone", password_hash="-", role=role, display_name="someone")
