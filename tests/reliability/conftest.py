"""Fixtures for the reliability tests: the real Meilisearch fixtures of tests/search_index
(re-exported here until the lead moves them to tests/conftest.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "search_index_fixtures", Path(__file__).resolve().parents[1] / "search_index" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)

meili_server = _fixtures.meili_server
meili = _fixtures.meili
prefix = _fixtures.prefix


# The web fixtures: the real app over a fresh database holding the test pilot of
# tests/market/web_builders.py.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "market"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "market" / "pages"))

import warnings  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from sqlmodel import Session  # noqa: E402
from web_builders import World, build_world, token  # noqa: E402

from catalog.db import get_engine  # noqa: E402
from market.app import create_app  # noqa: E402
from market.settings import Settings  # noqa: E402

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402


@pytest.fixture
def world(database_url: str) -> World:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        return build_world(session)


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, var_dir=tmp_path / "var", secret_key="test-secret", meili_url="")
    with TestClient(create_app(settings, migrate_db=False), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def bearer(database_url: str, world: World):  # type: ignore[no-untyped-def]
    """bearer("provider_a") → Authorization headers of that test user."""
    def headers(username: str) -> dict[str, str]:
        with Session(get_engine(database_url), expire_on_commit=False) as session:
            return {"Authorization": f"Bearer {token(session, username)}"}
    return headers
