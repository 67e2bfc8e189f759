"""Shared fixtures: a fresh, migrated database per test on SQLite and (when configured,
always on CI) PostgreSQL.

Every test that asks for `database_url` runs once per backend. A PostgreSQL database is
cloned from a migrated template, a SQLite file is copied from one, so each test starts
from an empty, migrated schema and tests never share state.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from database_copies import POSTGRES_URL, copy_postgres, copy_sqlite, pg_url
from sqlmodel import Session

from catalog.db import get_engine
from market.database import migrate

SHARED = Path(__file__).resolve().parents[2] / "shared"
if not SHARED.exists():  # a clone elsewhere: shared/ sits beside the project root
    SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV_DATA = SHARED / "data" / "dev"
JUDGED = SHARED / "data" / "judged"

pytest_plugins = ["fixtures_demo", "fixtures_browser"]

BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") == "true" and not POSTGRES_URL:
        raise pytest.UsageError("CI=true but MARKET_TEST_POSTGRES_URL is not set: the PostgreSQL suite would be skipped")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tmpl") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> str:
    """Name of a migrated template database on the test PostgreSQL server."""
    name = f"szt_tmpl_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    migrate(pg_url(name))
    get_engine(pg_url(name)).dispose()
    return name


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, migrated, empty database (one per test, per backend)."""
    if request.param == "sqlite":
        yield from copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "market.db")
    else:
        yield from copy_postgres(request.getfixturevalue("postgres_template"), "szt_t_")


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on a fresh database; the test commits (or not) as the code under test does."""
    with Session(get_engine(database_url), expire_on_commit=False) as s:
        yield s
