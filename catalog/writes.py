"""The typed write path of the catalogue: each feature's service writes its own rows through
these few helpers, which leave the audit entry (and, for the records the search index
follows, the outbox entry) of every change. A record says on its class what its entries are
filed under and keep (catalog.records.Audited); nothing here knows the features.

Optimistic concurrency is a database condition: the versioned tables map `version` as
SQLAlchemy's `version_id_col` (catalog.records.Versioned), so every UPDATE carries
`WHERE id = :id AND version = :loaded` and bumps the version; a stale write matches no row
and `flush` turns SQLAlchemy's StaleDataError into catalog.errors.Conflict (409).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic_core import PydanticUndefined
from sqlalchemy import Table, insert, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from catalog import outbox
from catalog.audit import service as audit
from catalog.errors import Conflict, NotFound
from catalog.language.text import company_key
from catalog.records import Audited, utcnow

STALE = "该记录已被他人修改，请刷新后重试"
R = TypeVar("R", bound=Audited)


def snapshot(record: Audited) -> dict[str, Any]:
    """The audited fields of a record, JSON-safe."""
    return {name: audit.jsonable(getattr(record, name)) for name in record.audited_fields}


def audited_change(*, session: Session, record: Audited, actor: str, action: str,
                   before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Append the audit entry and (for indexed records) the outbox entry of one change."""
    audit.append(session=session, actor=actor, action=action, record_type=record.audit_type,
                 record_key=str(record.id), before=before, after=after)
    if record.audit_type in outbox.RECORD_TYPES:
        op = "delete" if action == "delete" else "upsert"
        outbox.enqueue(session=session, record_type=record.audit_type, record_id=int(record.id or 0), op=op)


def create(*, session: Session, records: Sequence[Audited], actor: str) -> None:
    """Insert new records with one flush, then audit and enqueue each."""
    if not records:
        return
    session.add_all(records)
    session.flush()
    for record in records:
        audited_change(session=session, record=record, actor=actor, action="create", before=None,
                       after=snapshot(record))


def insert_rows(*, session: Session, model: type[Audited], rows: list[dict[str, Any]], actor: str) -> list[int]:
    """Insert new records from field values with one statement, audit and enqueue each; returns ids."""
    if not rows:
        return []
    full = [_complete(model, row) for row in rows]
    ids = _insert_returning_ids(session, sa_inspect(model).local_table, full)
    fields = model.audited_fields
    audit.append_many(session=session, actor=actor, action="create", record_type=model.audit_type,
                      items=((str(i), None, {f: row.get(f) for f in fields}) for i, row in zip(ids, full, strict=True)))
    if model.audit_type in outbox.RECORD_TYPES:
        outbox.enqueue_many(session=session, record_type=model.audit_type, record_ids=ids)
    return ids


def _complete(model: type[Audited], values: dict[str, Any]) -> dict[str, Any]:
    """Every column of a table model but the id: the given values, defaults for the rest."""
    out: dict[str, Any] = {}
    for name, info in model.__pydantic_fields__.items():
        if name == "id":
            continue
        if name in values:
            out[name] = values[name]
        elif info.default_factory is not None:
            out[name] = info.default_factory()  # type: ignore[call-arg]
        elif info.default is not PydanticUndefined:
            out[name] = info.default
    return out


def _insert_returning_ids(session: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Core executemany (no ORM per-row work); on PostgreSQL the ids are reserved from the sequence first,
    so psycopg runs one short cached statement in a pipeline instead of parsing huge multi-row INSERTs."""
    if session.get_bind().dialect.name != "postgresql":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [int(i) for i in session.execute(statement, rows).scalars()]
    reserve = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")
    ids = sorted(int(i) for i in session.execute(reserve, {"table": table.name, "n": len(rows)}).scalars())
    session.execute(insert(table), [row | {"id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def change(*, session: Session, record: Audited, changes: dict[str, Any], actor: str) -> bool:
    """Set the fields that differ (None leaves a not-null field as it is), audit and enqueue,
    unflushed; False if nothing changed."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None and name in record.not_null:
            continue
        old = getattr(record, name)
        if old != value:
            before[name], after[name] = audit.jsonable(old), audit.jsonable(value)
            setattr(record, name, value)
    if not after:
        return False
    record.updated_at = utcnow()
    if "name" in after and hasattr(record, "name_key"):
        record.name_key = company_key(changes["name"])
    with conflict_on_stale():  # the audit append may autoflush earlier changes
        audited_change(session=session, record=record, actor=actor, action="update", before=before, after=after)
    return True


def update(*, session: Session, record: Audited, changes: dict[str, Any], actor: str,
           expected_version: int | None = None) -> bool:
    """`change`, then flush; a stale `expected_version` or a concurrent write → Conflict."""
    require_version(record, expected_version)
    changed = change(session=session, record=record, changes=changes, actor=actor)
    flush(session=session)
    return changed


def get_or_404(*, session: Session, model: type[R], record_id: int) -> R:
    """The record with this id, or NotFound naming its kind."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"未找到编号为 {record_id} 的{model.label}")
    return record


# --- the stale-version guard -----------------------------------------------------------------


def require_version(record: Any, expected_version: int | None) -> None:
    """Conflict (409) when the client last read another version of `record` than the stored one
    (None: the client sent none, nothing to check)."""
    if expected_version is not None and expected_version != record.version:
        raise Conflict(STALE, code="stale_version")


@contextmanager
def conflict_on_stale() -> Iterator[None]:
    """Turn an UPDATE/DELETE whose version condition matched no row (another write won) into Conflict."""
    try:
        yield
    except StaleDataError as exc:
        raise Conflict(STALE, code="stale_version") from exc


def flush(*, session: Session) -> None:
    """Flush pending writes; a stale version → Conflict (409)."""
    with conflict_on_stale():
        session.flush()
