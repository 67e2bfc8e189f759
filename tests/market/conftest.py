"""Fixtures for the web tests: the real app over a fresh database, the test pilot, tokens."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from web_builders import PASSWORD, World, build_world, token

from catalog.db import get_engine
from market.app import create_app
from market.settings import Settings

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, var_dir=tmp_path / "var", secret_key="test-secret-key", meili_url="")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client of the real app (the database is already migrated by the fixture)."""
    with TestClient(create_app(settings, migrate_db=False), base_url="http://testserver") as c:
        yield c


@pytest.fixture
def world(database_url: str) -> World:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        return build_world(session)


def token_for(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Authorization headers for a user, via POST /api/auth/token."""
    response = client.post("/api/auth/token", json={"username": username, "password": password})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def as_user(database_url: str, world: World):  # type: ignore[no-untyped-def]
    """as_user("jj_bureau") → bearer headers (None → anonymous); cached per test."""
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str | None) -> dict[str, str]:
        if username is None:
            return {}
        if username not in cache:
            with Session(get_engine(database_url), expire_on_commit=False) as session:
                cache[username] = {"Authorization": f"Bearer {token(session, username)}"}
        return cache[username]

    return headers
