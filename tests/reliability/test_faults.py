"""Faults with the real servers: the import process killed mid-way, Meilisearch killed while
the index follows an import, the outbox worker killed mid-batch, and two editors racing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import meilisearch
import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select
from tests_paths import DEV_DATA, MARKET_BIN

from catalog.db import get_engine, session_scope
from catalog.enterprises.models import Need
from catalog.exchange import imports
from catalog.outbox import OutboxEntry
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from search_index.client import index_uid
from search_index.server import LocalMeilisearch
from search_index.sync import drain, run_worker

TABLES = ("provider", "solution", "enterprise", "need", "chainlink", "auditentry", "outboxentry")


def _counts(url: str) -> dict[str, int]:
    with get_engine(url).connect() as conn:
        return {t: int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()) for t in TABLES}


def _import_dev(url: str) -> None:
    with session_scope(url) as session:
        imports.import_paths(session=session, paths=[DEV_DATA], actor="test")


def _index_ids(client: meilisearch.Client, prefix: str, kind: str) -> list[int]:
    docs = client.index(index_uid(prefix, kind)).get_documents({"limit": 100_000, "fields": ["id"]}).results
    return sorted(int(d.id) for d in docs)


def _db_ids(url: str) -> dict[str, list[int]]:
    with Session(get_engine(url)) as session:
        return {kind: sorted(i for i in session.exec(select(model.id)).all() if i is not None)
                for kind, model in (("solutions", Solution), ("providers", Provider), ("needs", Need))}


def _assert_index_matches_database(client: meilisearch.Client, prefix: str, url: str) -> None:
    for kind, ids in _db_ids(url).items():
        assert ids, kind
        indexed = _index_ids(client, prefix, kind)
        assert indexed == ids, f"{kind}: missing {sorted(set(ids) - set(indexed))[:5]}, extra {sorted(set(indexed) - set(ids))[:5]}"
        stats = client.index(index_uid(prefix, kind)).get_stats()
        assert stats.number_of_documents == len(ids)  # no duplicates
    with Session(get_engine(url)) as session:
        assert not session.exec(select(OutboxEntry).where(col(OutboxEntry.processed_at).is_(None))).all()


def _wait_for(predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_import_process_killed_midway_leaves_all_or_nothing(database_url: str) -> None:
    env = dict(os.environ, MARKET_DATABASE_URL=database_url)
    outcomes = []
    for delay in (0.3, 1.0, 2.0):
        process = subprocess.Popen([str(MARKET_BIN), "import", str(DEV_DATA)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        killed = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        counts = _counts(database_url)
        outcomes.append((killed, counts["solution"]))
        if counts["solution"]:  # the whole import is there: every table and its audit trail
            assert counts["provider"] == 25 and counts["solution"] == 100 and counts["need"] == 262
            assert counts["auditentry"] > 0 and counts["outboxentry"] > 0
            break
        assert counts == dict.fromkeys(TABLES, 0), counts
    assert any(killed for killed, _ in outcomes), "the import finished before every kill: nothing was proven"


@pytest.mark.meili
def test_meilisearch_killed_while_indexing_an_import_loses_nothing(
    database_url: str, meili: meilisearch.Client, meili_server: LocalMeilisearch, prefix: str
) -> None:
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, kwargs={
        "database_url": database_url, "client": meili, "stop_event": stop, "interval": 0.1, "prefix": prefix})
    worker.start()
    try:
        _import_dev(database_url)  # committed at once, whatever the index does
        assert _wait_for(lambda: bool(_index_ids(meili, prefix, "needs")), 120)  # a bound, not a timing: a loaded machine is slow
        assert meili_server.process is not None
        meili_server.process.send_signal(signal.SIGKILL)  # mid-way through the outbox
        meili_server.process.wait(timeout=10)
        time.sleep(0.5)  # the worker fails a batch or two
        meili_server.start()
        done = _wait_for(lambda: not _counts(database_url)["outboxentry"] or _pending(database_url) == 0, 60)
        assert done, "the outbox did not drain after Meilisearch came back"
    finally:
        stop.set()
        worker.join(timeout=30)
    _assert_index_matches_database(meili, prefix, database_url)


def _pending(url: str) -> int:
    with get_engine(url).connect() as conn:
        return int(conn.execute(sa.text("SELECT COUNT(*) FROM outboxentry WHERE processed_at IS NULL")).scalar_one())


WORKER = """
import sys
from search_index.client import make_client
from search_index.sync import apply_outbox
url, meili_url, key, prefix = sys.argv[1:5]
client = make_client(meili_url, key)
while apply_outbox(database_url=url, client=client, prefix=prefix, batch_size=7):
    pass
"""


@pytest.mark.meili
def test_outbox_worker_killed_mid_batch_leaves_no_duplicate_or_missing_document(
    database_url: str, meili: meilisearch.Client, meili_server: LocalMeilisearch, prefix: str
) -> None:
    _import_dev(database_url)
    total = _pending(database_url)
    process = subprocess.Popen([sys.executable, "-c", WORKER, database_url, meili_server.url, meili_server.key, prefix],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        started = _wait_for(lambda: _pending(database_url) < total or process.poll() is not None, 60)
        assert started and process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    left = _pending(database_url)
    assert 0 < left < total, (left, total)  # killed part-way
    drain(database_url=database_url, client=meili, prefix=prefix)
    _assert_index_matches_database(meili, prefix, database_url)
