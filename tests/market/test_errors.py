"""Unexpected errors: a Chinese 500 page on pages, a JSON 500 on the API, the traceback logged,
and the exception still raised to the test client (no catch-all hides bugs)."""

from __future__ import annotations

import logging

import pytest
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


def test_bugs_still_raise_in_tests_and_business_errors_keep_their_status(settings) -> None:
    with TestClient(_app(settings)) as client:
        with pytest.raises(Boom):
            client.get("/probe/boom", headers={"Accept": "text/html"})
        missing = client.get("/probe/missing", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "没有这条记录" in missing.text
