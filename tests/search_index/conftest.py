"""A real Meilisearch server for the search tests: one per test session (temporary data
dir, free loopback port, generated key); each test gets its own index prefix.

A module whose tests only read what one fixture wrote can share it: `module_database_url`,
`module_meili` and `module_prefix` are the database (per backend), client and prefix of one
test module.

(The lead may move `meili_server` / `meili` to tests/conftest.py if other suites need them.)
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

import meilisearch
import pytest
from database_copies import POSTGRES_URL, copy_postgres, copy_sqlite

from market.settings import PROJECT_ROOT
from search_index.client import make_client
from search_index.server import LocalMeilisearch
from search_index.sync import ensure_indexes

BINARY = PROJECT_ROOT / "vendor" / "meilisearch" / "meilisearch"


@pytest.fixture(scope="session")
def meili_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalMeilisearch]:
    if not BINARY.exists():
        pytest.fail("Meilisearch 未安装：请先运行 bash scripts/install_meilisearch.sh（make install 会运行它）")
    data_dir = tmp_path_factory.mktemp("meili") / "data"
    with LocalMeilisearch(binary=BINARY, data_dir=data_dir, key=secrets.token_urlsafe(24)) as server:
        yield server


@pytest.fixture
def meili(meili_server: LocalMeilisearch) -> meilisearch.Client:
    """A client of the session's server (restarted first if a test left it stopped)."""
    meili_server.start()
    return make_client(meili_server.url, meili_server.key)


def _fresh_prefix(client: meilisearch.Client) -> Iterator[str]:
    """A new index prefix with its live indexes created, and its indexes dropped afterwards."""
    name = f"t{uuid.uuid4().hex[:10]}"
    ensure_indexes(client, name)
    yield name
    for index in client.get_indexes({"limit": 1000})["results"]:
        if index.uid.startswith(name):
            client.delete_index(index.uid)


@pytest.fixture
def prefix(meili: meilisearch.Client) -> Iterator[str]:
    """A fresh index prefix with its live indexes created; dropped after the test."""
    yield from _fresh_prefix(meili)


@pytest.fixture(scope="module", params=["sqlite"] + (["postgres"] if POSTGRES_URL else []))
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like `database_url`, but one fresh, migrated database per test module and backend."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("module_db") / "market.db"
        yield from copy_sqlite(request.getfixturevalue("sqlite_template"), path)
    else:
        yield from copy_postgres(request.getfixturevalue("postgres_template"), "szt_t_")


@pytest.fixture(scope="module")
def module_meili(meili_server: LocalMeilisearch) -> meilisearch.Client:
    """A client of the session's server for module-scoped fixtures."""
    meili_server.start()
    return make_client(meili_server.url, meili_server.key)


@pytest.fixture(scope="module")
def module_prefix(module_database_url: str, module_meili: meilisearch.Client) -> Iterator[str]:
    """A fresh index prefix per test module and backend (the database's documents only)."""
    yield from _fresh_prefix(module_meili)
