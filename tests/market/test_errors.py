"""Unexpected errors: a Chinese 500 page on pages, a JSON 500 on the API, each with a request id
that the logged traceback carries too; no exception leaves the app (a server would drop the
connection), while business errors keep their own status."""

from __future__ import annotations

import logging
import re

from fastapi.testclient import TestClient

from catalog.errors import NotFound
from market.app import create_app


class Boom(RuntimeError):
    pass


def _app(settings):  # type: ignore[no-untyped-def]
    app = create_app(settings, migrate_db=False)

    def boom() -> None:
        raise Boom("程序错误")

    def missing() -> None:
        raise NotFound(message="没有这条记录")

    app.add_api_route("/probe/boom", boom)
    app.add_api_route("/api/probe/boom", boom)
    app.add_api_route("/probe/missing", missing)
    return app


def test_page_500_renders_the_chinese_error_page_and_logs(settings, caplog) -> None:
    with TestClient(_app(settings), raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        response = client.get("/probe/boom", headers={"Accept": "text/html"})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "服务器出错了" in response.text and "服务器内部错误" in response.text
    assert any(r.exc_info and r.exc_info[0] is Boom for r in caplog.records)


def test_api_500_stays_json(settings) -> None:
    with TestClient(_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/api/probe/boom", headers={"Accept": "text/html"})
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error" and "服务器内部错误" in response.json()["message"]


def _logged_bug(caplog, request_id: str) -> list[logging.LogRecord]:  # type: ignore[no-untyped-def]
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info and r.exc_info[0] is Boom
            and request_id in r.getMessage()]


def test_no_exception_escapes_and_the_page_names_the_logged_request_id(settings, caplog) -> None:
    """Even a client that re-raises server exceptions gets the answer: the bug never leaves the app."""
    with TestClient(_app(settings)) as client, caplog.at_level(logging.ERROR):
        page = client.get("/probe/boom", headers={"Accept": "text/html"})
        api = client.get("/api/probe/boom")
    assert page.status_code == 500 and api.status_code == 500
    page_id = page.headers["x-request-id"]
    shown = re.search(r"请求编号 ([0-9a-f]{16})", page.text)
    assert shown and shown.group(1) == page_id
    assert "服务器出错了" in page.text and page.headers["content-security-policy"]
    assert api.json()["request_id"] == api.headers["x-request-id"] != page_id
    assert len(_logged_bug(caplog, page_id)) == 1 and len(_logged_bug(caplog, api.headers["x-request-id"])) == 1


def test_every_response_has_a_request_id_and_a_proxys_id_is_kept(settings) -> None:
    with TestClient(_app(settings)) as client:
        first, second = client.get("/login"), client.get("/login")
        given = client.get("/api/probe/boom", headers={"X-Request-ID": "edge-1234abcd"})
        forged = client.get("/login", headers={"X-Request-ID": "<script>"})
    assert re.fullmatch(r"[0-9a-f]{16}", first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    assert given.json()["request_id"] == "edge-1234abcd"
    assert forged.headers["x-request-id"] != "<script>"


def test_business_errors_keep_their_status(settings, caplog) -> None:
    with TestClient(_app(settings)) as client, caplog.at_level(logging.ERROR):
        missing = client.get("/probe/missing", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "没有这条记录" in missing.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
