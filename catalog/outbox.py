"""The outbox: changes the search index must follow, written in the same transaction
as the change itself, so a write never waits on (nor is lost because of) Meilisearch.
A worker (search_index/sync.py) takes pending entries after the commit; a worker in
the same process is woken by the commit itself (`written`), others find them by polling.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import event, insert, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, Session, SQLModel, col, select

from catalog.records import utcnow

RECORD_TYPES = frozenset({"solution", "provider", "need", "enterprise"})
OPS = frozenset({"upsert", "delete"})

# Set when a transaction of this process that wrote outbox entries has committed.
written = threading.Event()
_WROTE = "outbox_written"


@event.listens_for(OrmSession, "after_commit")
def _wake(session: OrmSession) -> None:
    if session.info.pop(_WROTE, False):
        written.set()


@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(_WROTE, None)


class OutboxEntry(SQLModel, table=True):
    """A change the search index must follow; written in the same transaction as the change."""

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(index=True)  # solution / provider / need
    record_id: int
    op: str = "upsert"  # upsert / delete
    created_at: datetime = Field(default_factory=utcnow)
    processed_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    last_error: str | None = None


def enqueue(*, session: Session, record_type: str, record_id: int, op: str = "upsert") -> OutboxEntry:
    """Record that `record_type` #`record_id` changed (or was deleted) and must be re-indexed."""
    if record_type not in RECORD_TYPES:
        raise ValueError(f"unknown outbox record type: {record_type}")
    if op not in OPS:
        raise ValueError(f"unknown outbox op: {op}")
    entry = OutboxEntry(record_type=record_type, record_id=int(record_id), op=op, created_at=utcnow())
    session.add(entry)
    session.info[_WROTE] = True
    return entry


def enqueue_many(*, session: Session, record_type: str, record_ids: Iterable[int], op: str = "upsert") -> None:
    """Enqueue many records of one type with a single INSERT."""
    if record_type not in RECORD_TYPES or op not in OPS:
        raise ValueError(f"unknown outbox record type or op: {record_type} {op}")
    rows = [{"record_type": record_type, "record_id": int(i), "op": op, "created_at": utcnow(), "attempts": 0}
            for i in record_ids]
    if rows:
        session.execute(insert(OutboxEntry.__table__), rows)  # type: ignore[attr-defined]
        session.info[_WROTE] = True


def pending(
    *, session: Session, limit: int, max_attempts: int | None = None, lock: bool = False
) -> list[OutboxEntry]:
    """The oldest unprocessed entries; `lock` takes them FOR UPDATE SKIP LOCKED on PostgreSQL."""
    query = select(OutboxEntry).where(col(OutboxEntry.processed_at).is_(None))
    if max_attempts is not None:
        query = query.where(OutboxEntry.attempts < max_attempts)
    query = query.order_by(col(OutboxEntry.id)).limit(limit)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query).all())


def mark_done(*, session: Session, ids: Iterable[int]) -> None:
    """Mark entries as processed."""
    id_list = list(ids)
    if id_list:
        session.execute(
            update(OutboxEntry).where(col(OutboxEntry.id).in_(id_list)).values(processed_at=utcnow())
        )


def mark_failed(*, session: Session, ids: Iterable[int], error: str) -> None:
    """Count a failed attempt on entries (they stay pending) and keep the last error."""
    id_list = list(ids)
    if id_list:
        session.execute(
            update(OutboxEntry)
            .where(col(OutboxEntry.id).in_(id_list))
            .values(attempts=OutboxEntry.attempts + 1, last_error=error[:2000])
        )
