"""CSRF on form posts: the dependency, and every page POST route declares it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from market.app import create_app, route_table
from market.auth import csrf
from market.deps import CsrfProtected, verify_csrf


def _app_with_form(settings):  # type: ignore[no-untyped-def]
    app = create_app(settings, migrate_db=False)
    probe = APIRouter()

    @probe.get("/probe-form")
    def form_page(request: Request) -> JSONResponse:
        response = JSONResponse({"token": csrf.csrf_token(request)})
        csrf.set_csrf_cookie(request, response)
        return response

    @probe.post("/probe-form")
    def post_form(_: CsrfProtected) -> dict[str, bool]:
        return {"ok": True}

    app.include_router(probe)
    return app


def test_form_post_needs_the_token_bound_to_the_client(settings) -> None:
    with TestClient(_app_with_form(settings)) as client:
        missing = client.post("/probe-form", data={"x": "1"})
        assert missing.status_code == 403 and missing.json()["code"] == "csrf_failed"
        assert "安全校验失败" in missing.json()["message"]
        page = client.get("/probe-form")
        token = page.json()["token"]
        assert csrf.CSRF_COOKIE in page.cookies
        assert client.post("/probe-form", data={"csrf_token": token}).status_code == 200
        assert client.post("/probe-form", data={"csrf_token": token + "x"}).status_code == 403
    with TestClient(_app_with_form(settings)) as stranger:  # right token, but not this client's cookie
        assert stranger.post("/probe-form", data={"csrf_token": token}).status_code == 403


def test_forged_cookie_is_not_accepted(settings) -> None:
    with TestClient(_app_with_form(settings)) as client:
        client.cookies.set(csrf.CSRF_COOKIE, "attacker-chosen")
        assert client.post("/probe-form", data={"csrf_token": "attacker-chosen"}).status_code == 403


def test_rendered_pages_hand_out_the_cookie(client) -> None:
    page = client.get("/no-such-page", headers={"accept": "text/html"})
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert csrf.CSRF_COOKIE in page.cookies


def test_every_page_form_route_is_csrf_protected(client) -> None:
    unprotected = []
    for method, path, route in route_table(client.app):
        if method in ("GET", "HEAD", "OPTIONS") or path.startswith("/api"):
            continue
        calls = _dependency_calls(getattr(route, "dependant", None))
        if not any(getattr(c, "__name__", "") in ("verify_csrf", "_csrf_after_user") for c in calls):
            unprotected.append(f"{method} {path}")
    assert unprotected == [], f"这些表单路由没有 CSRF 校验：{unprotected}"
    assert verify_csrf.__name__ == "verify_csrf"


def _dependency_calls(dependant) -> list:  # type: ignore[no-untyped-def]
    if dependant is None:
        return []
    calls = []
    for dep in dependant.dependencies:
        calls.append(dep.call)
        calls += _dependency_calls(dep)
    return calls
