"""A write whose record another session changed first answers 409 (JSON or page), never 500.

The probe routes use the real request session (market/deps.py) and commit at the request
boundary; a second, independent session changes the same record in between.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from catalog.db import get_engine
from catalog.providers.models import Provider
from market.app import create_app
from market.deps import SessionDep


def _app(settings, database_url: str, provider_id: int):  # type: ignore[no-untyped-def]
    app = create_app(settings, migrate_db=False)

    def stale_write(session: SessionDep) -> dict[str, bool]:
        mine = session.get(Provider, provider_id)
        assert mine is not None
        with Session(get_engine(database_url)) as other:  # another user saves first
            theirs = other.get(Provider, provider_id)
            assert theirs is not None
            theirs.description = "他人先保存的简介"
            other.add(theirs)
            other.commit()
        mine.description = "我后保存的简介"
        session.add(mine)  # no flush: the stale UPDATE happens at the request's commit
        return {"ok": True}

    app.add_api_route("/api/probe/stale", stale_write, methods=["POST"])
    app.add_api_route("/probe/stale", stale_write, methods=["POST"])
    return app


def _description(database_url: str, provider_id: int) -> str:
    with Session(get_engine(database_url)) as session:
        provider = session.get(Provider, provider_id)
        assert provider is not None
        return provider.description


def test_stale_api_write_is_409_json(settings, database_url, world) -> None:
    provider_id = world.ids["provider_b"]
    with TestClient(_app(settings, database_url, provider_id)) as client:
        response = client.post("/api/probe/stale")
    assert response.status_code == 409, response.text
    assert response.json()["message"] == "该记录已被他人修改，请刷新后重试"
    assert _description(database_url, provider_id) == "他人先保存的简介"


def test_stale_page_write_is_409_page(settings, database_url, world) -> None:
    provider_id = world.ids["provider_b"]
    with TestClient(_app(settings, database_url, provider_id)) as client:
        response = client.post("/probe/stale", headers={"Accept": "text/html"})
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("text/html")
    assert "该记录已被他人修改，请刷新后重试" in response.text
    assert _description(database_url, provider_id) == "他人先保存的简介"
