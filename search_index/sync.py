"""Keeping Meilisearch in step with the database (the source of truth).

- `apply_outbox`: one batch of pending outbox entries → documents upserted or deleted,
  every task checked; on failure the entries stay pending (attempt counted) and the
  write that made them has long been committed.
- `run_worker`: the loop `market serve` runs in a background thread.
- `reindex`: rebuild every index from the database into new indexes and swap them in
  atomically, so searches keep answering during a rebuild.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import meilisearch
from meilisearch.errors import MeilisearchApiError, MeilisearchCommunicationError, MeilisearchError
from requests.exceptions import RequestException
from sqlmodel import Session, col, select

from catalog import outbox
from catalog.db import session_scope
from catalog.engagements.models import Engagement
from catalog.engagements.queries import average_ratings
from catalog.enterprises.models import Enterprise, Need
from catalog.outbox import OutboxEntry
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from search_index import documents, textual
from search_index.client import INDEX_KINDS, IndexTaskFailed, index_uid, wait_or_raise
from search_index.documents import need_document, provider_document, solution_document
from search_index.settings import INDEX_SETTINGS, settings_differ

log = logging.getLogger(__name__)

BATCH_SIZE = 1000  # documents per task when applying the outbox
REINDEX_BATCH = 5000  # documents per task when rebuilding: fewer, bigger indexing batches
OUTBOX_BATCH = 500
SYNC_ERRORS = (MeilisearchError, MeilisearchCommunicationError, IndexTaskFailed, RequestException, OSError)


def ensure_index(client: meilisearch.Client, uid: str, kind: str) -> None:
    """Create the index if missing and apply its settings (both checked)."""
    try:
        client.get_index(uid)
    except MeilisearchApiError as exc:
        if getattr(exc, "code", "") != "index_not_found":
            raise
        wait_or_raise(client, client.create_index(uid, {"primaryKey": "id"}))
    wanted = INDEX_SETTINGS[kind]
    if settings_differ(wanted, client.index(uid).get_settings()):
        wait_or_raise(client, client.index(uid).update_settings(wanted))


def ensure_indexes(client: meilisearch.Client, prefix: str) -> None:
    """Every live index exists with its settings."""
    for kind in INDEX_KINDS:
        ensure_index(client, index_uid(prefix, kind), kind)


def solution_documents(session: Session, ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Documents of the given solutions (all when `ids` is None), with provider and rating."""
    query = select(Solution, Provider).join(Provider, col(Solution.provider_id) == col(Provider.id))
    if ids is not None:
        query = query.where(col(Solution.id).in_(ids))
    ratings = average_ratings(session=session, by=Engagement.solution_id, ids=ids)
    return [solution_document(s, p, ratings.get(s.id or 0)) for s, p in session.exec(query).all()]


def provider_documents(session: Session, ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Documents of the given providers (all when `ids` is None)."""
    query = select(Provider)
    if ids is not None:
        query = query.where(col(Provider.id).in_(ids))
    ratings = average_ratings(session=session, by=Engagement.provider_id, ids=ids)
    return [provider_document(p, ratings.get(p.id or 0)) for p in session.exec(query).all()]


def need_documents(session: Session, ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Documents of the given needs (all when `ids` is None)."""
    query = select(Need, Enterprise).join(Enterprise, col(Need.enterprise_id) == col(Enterprise.id))
    if ids is not None:
        query = query.where(col(Need.id).in_(ids))
    return [need_document(n, e) for n, e in session.exec(query).all()]


_BUILDERS = {"solutions": solution_documents, "providers": provider_documents, "needs": need_documents}
_MODELS: dict[str, Any] = {"solutions": Solution, "providers": Provider, "needs": Need}


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _put(client: meilisearch.Client, uid: str, docs: list[dict[str, Any]]) -> None:
    """Send documents and wait for the engine; this process's search has them meanwhile."""
    tasks = [client.index(uid).add_documents(chunk, primary_key="id") for chunk in _chunks(docs, BATCH_SIZE)]
    textual.snapshots.fold(uid, docs)
    for task in tasks:
        wait_or_raise(client, task)


def _affected(session: Session, entries: Iterable[Any]) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Which documents to upsert and delete for a batch of outbox entries."""
    upserts: dict[str, set[int]] = defaultdict(set)
    deletes: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        rid = entry.record_id
        if entry.record_type == "solution":
            (deletes if entry.op == "delete" else upserts)["solutions"].add(rid)
        elif entry.record_type == "provider":
            (deletes if entry.op == "delete" else upserts)["providers"].add(rid)
            ids = session.exec(select(Solution.id).where(Solution.provider_id == rid)).all()
            upserts["solutions"].update(i for i in ids if i is not None)
        elif entry.record_type == "need":
            (deletes if entry.op == "delete" else upserts)["needs"].add(rid)
        elif entry.record_type == "enterprise":
            ids = session.exec(select(Need.id).where(Need.enterprise_id == rid)).all()
            upserts["needs"].update(i for i in ids if i is not None)
    return upserts, deletes


def _apply(session: Session, client: meilisearch.Client, prefix: str,
           upserts: dict[str, set[int]], deletes: dict[str, set[int]]) -> None:
    for kind, ids in upserts.items():
        docs = _BUILDERS[kind](session, sorted(ids))
        found = {d["id"] for d in docs}
        deletes[kind] = deletes.get(kind, set()) | (ids - found)  # gone since: delete
        if docs:
            _put(client, index_uid(prefix, kind), docs)
    for kind, ids in deletes.items():
        if ids:
            uid = index_uid(prefix, kind)
            task = client.http.post(f"indexes/{uid}/documents/delete-batch", sorted(ids))  # type: ignore[arg-type]
            textual.snapshots.fold(uid, (), deleted=ids)
            wait_or_raise(client, task)
    textual.snapshots.probe_soon()  # this process's next search sees the change


def apply_outbox(*, database_url: str, client: meilisearch.Client, prefix: str = "szt",
                 batch_size: int = OUTBOX_BATCH) -> int:
    """Apply one batch of pending outbox entries; returns how many were applied.

    Raises:
        one of SYNC_ERRORS when Meilisearch is unreachable or a task failed; the entries
        then stay pending with their attempt counted and the error kept.
    """
    with session_scope(database_url) as session:
        entries = outbox.pending(session=session, limit=batch_size, lock=True)
        if not entries:
            return 0
        ids = [e.id for e in entries if e.id is not None]
        upserts, deletes = _affected(session, entries)
        try:
            _apply(session, client, prefix, upserts, deletes)
        except SYNC_ERRORS as exc:
            outbox.mark_failed(session=session, ids=ids, error=f"{type(exc).__name__}: {exc}")
            session.commit()
            raise
        outbox.mark_done(session=session, ids=ids)
        return len(ids)


def drain(*, database_url: str, client: meilisearch.Client, prefix: str = "szt") -> int:
    """Apply batches until the outbox is empty; returns the number applied."""
    total = 0
    while applied := apply_outbox(database_url=database_url, client=client, prefix=prefix):
        total += applied
    return total


def run_worker(*, database_url: str, client: meilisearch.Client, stop_event: threading.Event,
               interval: float = 0.5, prefix: str = "szt") -> None:
    """Apply the outbox until `stop_event` is set (for a background thread).

    Meilisearch being down is not an error of the worker: it logs, waits and retries, and
    the index catches up when the server returns.
    """
    ready = False
    while not stop_event.is_set():
        outbox.written.clear()  # a commit from now on wakes the wait below
        try:
            if not ready:
                ensure_indexes(client, prefix)
                if outdated(client, prefix):
                    log.warning("search index written in an older shape: rebuilding it")
                    reindex(database_url=database_url, client=client, prefix=prefix)
                ready = True
            while not stop_event.is_set() and apply_outbox(
                database_url=database_url, client=client, prefix=prefix
            ):
                pass
        except SYNC_ERRORS as exc:
            ready = False
            log.warning("search index sync failed, will retry: %s", exc)
        except Exception:  # keep the worker alive whatever a batch did
            ready = False
            log.exception("search index sync crashed on a batch, will retry")
        if ready:
            _wait_for_writes(stop_event, interval)
        else:
            stop_event.wait(interval)


def _wait_for_writes(stop_event: threading.Event, interval: float) -> None:
    """Until a commit of this process wrote outbox entries, `interval` passed (writes of
    other processes are found by polling) or `stop_event` was set (noticed within 0.5 s)."""
    deadline = time.monotonic() + interval
    while not stop_event.is_set() and (left := deadline - time.monotonic()) > 0:
        if outbox.written.wait(min(left, 0.5)):
            return


def _pending_ids(session: Session) -> list[int]:
    query = select(OutboxEntry.id).where(col(OutboxEntry.processed_at).is_(None))
    return [i for i in session.exec(query).all() if i is not None]


def _build_and_send(session: Session, client: meilisearch.Client, uid: str, kind: str) -> int:
    """Build the documents of a kind page by page, sending each page without waiting, so
    Meilisearch indexes one page while the next is built; then check every task."""
    model = _MODELS[kind]
    all_ids = [i for i in session.exec(select(model.id).order_by(col(model.id))).all() if i is not None]
    tasks, count = [], 0
    for ids in _chunks(all_ids, REINDEX_BATCH):
        docs = _BUILDERS[kind](session, ids)
        session.expunge_all()  # a page's records are not needed once built
        if docs:
            tasks.append(client.index(uid).add_documents(docs, primary_key="id"))
            count += len(docs)
    for task in tasks:
        wait_or_raise(client, task)
    return count


def outdated(client: meilisearch.Client, prefix: str) -> bool:
    """Does the solutions index hold documents of an older shape than this code writes?"""
    sample = client.index(index_uid(prefix, "solutions")).get_documents({"limit": 1, "fields": ["shape"]}).results
    return bool(sample) and dict(sample[0]).get("shape") != documents.SOLUTION_SHAPE


def reindex(*, database_url: str, client: meilisearch.Client, prefix: str = "szt",
            kinds: tuple[str, ...] = INDEX_KINDS) -> dict[str, int]:
    """Rebuild indexes from the database into fresh ones and swap them in atomically.

    Returns the number of documents per index. The live index answers searches
    throughout; the swap is one Meilisearch task. A full rebuild also settles the outbox
    entries pending when it began (it read their changes); later ones stay for the worker.
    """
    counts: dict[str, int] = {}
    stamp = int(time.time() * 1000)
    with session_scope(database_url) as session:
        covered = _pending_ids(session) if set(kinds) == set(INDEX_KINDS) else []
        for kind in kinds:
            live, fresh = index_uid(prefix, kind), f"{index_uid(prefix, kind)}_build_{stamp}"
            ensure_index(client, live, kind)
            ensure_index(client, fresh, kind)
            counts[kind] = _build_and_send(session, client, fresh, kind)
            wait_or_raise(client, client.swap_indexes([{"indexes": [live, fresh]}]))
            wait_or_raise(client, client.delete_index(fresh))
            textual.snapshots.probe_soon()
        for ids in _chunks(covered, REINDEX_BATCH):
            outbox.mark_done(session=session, ids=ids)
    return counts
