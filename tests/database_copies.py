"""Fresh test databases copied from a prepared template: a file copy for SQLite, and
`CREATE DATABASE … TEMPLATE …` for PostgreSQL (the test cluster of MARKET_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from catalog.db import get_engine
from market import jobs

POSTGRES_URL = os.environ.get("MARKET_TEST_POSTGRES_URL", "")


def pg_url(database: str) -> str:
    """The URL of `database` on the test cluster."""
    return sa.engine.make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


def copy_sqlite(template: Path, path: Path) -> Iterator[str]:
    """Yield the URL of a copy of the SQLite `template` at `path`; close its engine after."""
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    yield url
    jobs.wait_drained(url)  # a drainer's last look for work must not meet the database gone
    get_engine(url).dispose()


def copy_postgres(template: str, prefix: str) -> Iterator[str]:
    """Yield the URL of a new database made from `template`; drop it after."""
    name = f"{prefix}{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = pg_url(name)
    yield url
    jobs.wait_drained(url)  # a drainer's last look for work must not meet the database gone
    get_engine(url).dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
