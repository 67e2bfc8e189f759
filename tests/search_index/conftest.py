"""A real Meilisearch server for the search tests: one per test session (temporary data
dir, free loopback port, generated key); each test gets its own index prefix.

(The lead may move `meili_server` / `meili` to tests/conftest.py if other suites need them.)
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

import meilisearch
import pytest

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


@pytest.fixture
def prefix(meili: meilisearch.Client) -> Iterator[str]:
    """A fresh index prefix with its live indexes created; dropped after the test."""
    name = f"t{uuid.uuid4().hex[:10]}"
    ensure_indexes(meili, name)
    yield name
    for index in meili.get_indexes({"limit": 1000})["results"]:
        if index.uid.startswith(name):
            meili.delete_index(index.uid)
