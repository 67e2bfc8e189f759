"""Fixtures over the demo data set (seed/): a fresh database that already holds it.

`demo_database_url` is like `database_url` (one fresh database per test, on SQLite and,
when MARKET_TEST_POSTGRES_URL is set, PostgreSQL) but with the demo data loaded: 33
providers, 126 solutions, 94 enterprises with their needs, three chains and the demo users
of seed/users.py (password seed.users.DEMO_PASSWORD). The demo data is loaded once per
backend into a template, which each test copies, so tests never share state.

`history_database_url` holds the same demo data plus the pilot's last 18 months
(seed/history.py: events with outcomes, engagements at every stage), as `market seed` loads it.

Register with `pytest_plugins = ["fixtures_demo"]` in tests/conftest.py; it relies on the
`sqlite_template` and `postgres_template` fixtures defined there.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from database_copies import POSTGRES_URL, copy_postgres, copy_sqlite, pg_url
from sqlmodel import Session, select

from catalog.db import get_engine, session_scope
from catalog.enterprises.models import Enterprise
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from seed.history import load_history
from seed.load import load_demo

DEMO_BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def _load(url: str, history: bool = False) -> None:
    with session_scope(url) as session:
        load_demo(session=session, actor="seed")
        if history:
            load_history(session=session)
    get_engine(url).dispose()


@pytest.fixture(scope="session")
def demo_sqlite_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the demo data."""
    path = tmp_path_factory.mktemp("demo_tmpl") / "demo.db"
    shutil.copy(sqlite_template, path)
    _load(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def demo_postgres_template(postgres_template: str) -> str:
    """Name of a PostgreSQL template database holding the demo data."""
    name = f"szt_demo_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    admin.dispose()
    _load(pg_url(name))
    return name


@pytest.fixture(params=DEMO_BACKENDS)
def demo_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh database holding the demo data (one per test, per backend)."""
    if request.param == "sqlite":
        yield from copy_sqlite(request.getfixturevalue("demo_sqlite_template"), tmp_path / "demo.db")
    else:
        yield from copy_postgres(request.getfixturevalue("demo_postgres_template"), "szt_d_")


@pytest.fixture(scope="session")
def history_sqlite_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the demo data and its history."""
    path = tmp_path_factory.mktemp("history_tmpl") / "history.db"
    shutil.copy(sqlite_template, path)
    _load(f"sqlite:///{path}", history=True)
    return path


@pytest.fixture(scope="session")
def history_postgres_template(postgres_template: str) -> str:
    """Name of a PostgreSQL template database holding the demo data and its history."""
    name = f"szt_hist_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    admin.dispose()
    _load(pg_url(name), history=True)
    return name


@pytest.fixture(params=DEMO_BACKENDS)
def history_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh database holding the demo data and the pilot's history (per test, per backend)."""
    if request.param == "sqlite":
        yield from copy_sqlite(request.getfixturevalue("history_sqlite_template"), tmp_path / "history.db")
    else:
        yield from copy_postgres(request.getfixturevalue("history_postgres_template"), "szt_h_")


@pytest.fixture
def demo_session(demo_database_url: str) -> Iterator[Session]:
    """A session on a fresh database holding the demo data."""
    with Session(get_engine(demo_database_url), expire_on_commit=False) as s:
        yield s


def demo_provider(session: Session, name: str) -> Provider:
    """A demo provider by its name, e.g. 九江浔阳智造科技有限公司."""
    return session.exec(select(Provider).where(Provider.name == name)).one()


def demo_enterprise(session: Session, name: str) -> Enterprise:
    """A demo enterprise by its name, e.g. 九江长庐化工集团股份有限公司."""
    return session.exec(select(Enterprise).where(Enterprise.name == name)).one()


def demo_solution(session: Session, name: str) -> Solution:
    """A demo solution by its name, e.g. 轻帆云MES."""
    return session.exec(select(Solution).where(Solution.name == name)).one()
