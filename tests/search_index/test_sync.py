"""The outbox worker: writes succeed while Meilisearch is down, and the index catches up
when it returns (the real server is stopped and restarted)."""

from __future__ import annotations

import threading
import time

import meilisearch
import pytest
from search_builders import add_provider, add_solution, sync
from sqlmodel import Session, select

from catalog import outbox
from catalog.outbox import OutboxEntry
from catalog.solutions.models import Solution
from search_index import documents
from search_index.client import index_uid, wait_or_raise
from search_index.server import LocalMeilisearch
from search_index.sync import SYNC_ERRORS, apply_outbox, outdated, run_worker

pytestmark = pytest.mark.meili


def _ids(client: meilisearch.Client, prefix: str) -> set[int]:
    docs = client.index(index_uid(prefix, "solutions")).get_documents({"limit": 1000, "fields": ["id"]})
    return {d.id for d in docs.results}


def test_writes_survive_meilisearch_down_and_index_catches_up(
    session: Session, database_url: str, meili_server: LocalMeilisearch, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    first = add_solution(session, provider, name="注塑机联网")
    session.commit()
    sync(database_url, meili, prefix)
    assert first.id in _ids(meili, prefix)

    meili_server.stop()
    try:
        second = add_solution(session, provider, name="模具寿命管理")
        session.commit()  # the write does not wait on, nor fail because of, Meilisearch
        with pytest.raises(SYNC_ERRORS):
            apply_outbox(database_url=database_url, client=meili, prefix=prefix)
        session.expire_all()
        entry = session.exec(select(OutboxEntry).where(OutboxEntry.record_id == second.id,
                                                       OutboxEntry.record_type == "solution")).one()
        assert entry.processed_at is None and entry.attempts == 1 and entry.last_error
        assert session.get(Solution, second.id) is not None
    finally:
        meili_server.start()
    sync(database_url, meili, prefix)
    assert {first.id, second.id} <= _ids(meili, prefix)
    assert outbox.pending(session=session, limit=10) == []


def test_worker_thread_catches_up_after_restart(
    session: Session, database_url: str, meili_server: LocalMeilisearch, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    meili_server.stop()
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, kwargs={
        "database_url": database_url, "client": meili, "stop_event": stop, "interval": 0.1, "prefix": prefix,
    })
    worker.start()
    try:
        solution = add_solution(session, provider, name="能耗监测")
        session.commit()
        meili_server.start()
        deadline = time.monotonic() + 60  # a bound on waiting, not a timing assertion
        while solution.id not in _ids(meili, prefix) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert solution.id in _ids(meili, prefix)
    finally:
        stop.set()
        worker.join(timeout=30)
        meili_server.start()
    assert not worker.is_alive()


def test_deletes_and_provider_changes_follow(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    solution = add_solution(session, provider, name="质量追溯")
    session.commit()
    sync(database_url, meili, prefix)
    provider.status = "暂停"
    session.add(provider)
    outbox.enqueue(session=session, record_type="provider", record_id=provider.id or 0)
    session.commit()
    sync(database_url, meili, prefix)
    doc = meili.index(index_uid(prefix, "solutions")).get_document(solution.id)
    assert doc.public is False
    session.delete(solution)
    outbox.enqueue(session=session, record_type="solution", record_id=solution.id or 0, op="delete")
    session.commit()
    sync(database_url, meili, prefix)
    assert solution.id not in _ids(meili, prefix)


def test_an_index_of_an_older_shape_is_rebuilt_when_the_worker_starts(
        session: Session, database_url: str, meili: meilisearch.Client, prefix: str) -> None:
    provider = add_provider(session)
    solution = add_solution(session, provider, name="旧格式的方案")
    session.commit()
    sync(database_url, meili, prefix)
    uid = f"{prefix}_solutions"
    old = {**dict(meili.index(uid).get_document(solution.id)), "shape": documents.SOLUTION_SHAPE - 1}
    wait_or_raise(meili, meili.index(uid).add_documents([old]))
    assert outdated(meili, prefix)
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, kwargs={"database_url": database_url, "client": meili,
                                                          "stop_event": stop, "interval": 0.05, "prefix": prefix})
    worker.start()
    try:
        while outdated(meili, prefix):  # pytest-timeout bounds the wait
            stop.wait(0.05)
    finally:
        stop.set()
        worker.join()
    assert dict(meili.index(uid).get_document(solution.id))["shape"] == documents.SOLUTION_SHAPE


def test_a_commit_in_the_process_wakes_the_worker(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    first = add_solution(session, provider, name="设备点检")
    session.commit()
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, kwargs={
        "database_url": database_url, "client": meili, "stop_event": stop, "interval": 3600, "prefix": prefix,
    })
    worker.start()
    try:
        _until_indexed(meili, prefix, first.id)  # the worker's first pass is done
        second = add_solution(session, provider, name="排产优化")
        session.commit()  # the worker would poll again only in an hour: the commit wakes it
        _until_indexed(meili, prefix, second.id)
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()


def _until_indexed(client: meilisearch.Client, prefix: str, solution_id: int | None, polls: int = 300) -> None:
    for _ in range(polls):  # a bounded wait (far below the worker's hour), not a timing assertion
        if solution_id in _ids(client, prefix):
            return
        time.sleep(0.1)
    assert solution_id in _ids(client, prefix)
