"""The shared machinery of every catalogue write: audit snapshots, the audit and outbox
entries of a change, bulk inserts, field-by-field updates and the optimistic-concurrency
check. Each feature's service (catalog/providers/service.py, catalog/solutions/service.py,
catalog/enterprises/service.py, catalog/chains/service.py, catalog/engagements/service.py)
builds on it.

Optimistic concurrency is a database condition: the versioned tables map `version` as
SQLAlchemy's `version_id_col` (catalog.records.Versioned), so every UPDATE carries
`WHERE id = :id AND version = :loaded` and bumps the version; a stale write matches no row
and `flush` turns SQLAlchemy's StaleDataError into catalog.errors.Conflict (409).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import insert, text
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, col, select

from catalog import outbox
from catalog.audit import service as audit
from catalog.engagements.models import Engagement
from catalog.enterprises.schemas import EnterpriseBase, NeedBase
from catalog.errors import Conflict, InvalidTransition, NotFound
from catalog.language.text import company_key
from catalog.providers.models import LISTING_TRANSITIONS, ListingStatus
from catalog.providers.schemas import ProviderBase
from catalog.records import utcnow
from catalog.solutions.schemas import SolutionBase

STALE = "该记录已被他人修改，请刷新后重试"
# The fields an audit snapshot keeps, per record type.
FIELDS: dict[str, tuple[str, ...]] = {
    "provider": (*ProviderBase.model_fields, "status", "lead_provider_id"),
    "solution": (*SolutionBase.model_fields, "provider_id", "status", "excellent"),
    "enterprise": (*EnterpriseBase.model_fields, "findable_by_providers", "share_budget", "share_needs_with_chain"),
    "need": (*NeedBase.model_fields, "enterprise_id", "position"),
    "chain_link": ("leader_id", "member_id", "via_id", "relation", "share"),
    "engagement": tuple(c for c in Engagement.model_fields if c not in ("id", "version", "created_at", "updated_at")),
}
LABEL = {"provider": "服务商", "solution": "产品", "enterprise": "企业", "need": "需求",
          "chain_link": "产业链关系", "engagement": "对接记录"}
_NOT_NULL = {"name", "uscc", "kind", "region", "industries", "scenarios", "description", "code",
             "deployment", "price_wan", "billing", "deploy_days", "size_fit", "industry", "size",
             "srdi_tier", "level", "text", "priority", "relation", "status", "provider_id",
             "service_regions", "certifications", "keywords", "capacity", "cost_split"}

# --- shared machinery -------------------------------------------------------------------


def snapshot(record: SQLModel, record_type: str) -> dict[str, Any]:
    """The audited fields of a record, JSON-safe."""
    return {name: audit.jsonable(getattr(record, name)) for name in FIELDS[record_type]}


def record_change(*, session: Session, record: Any, record_type: str, actor: str, action: str,
                  before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Append the audit entry and (for indexed records) the outbox entry of one change."""
    audit.append(session=session, actor=actor, action=action, record_type=record_type,
                 record_key=str(record.id), before=before, after=after)
    if record_type in outbox.RECORD_TYPES:
        op = "delete" if action == "delete" else "upsert"
        outbox.enqueue(session=session, record_type=record_type, record_id=record.id, op=op)


def insert_many(*, session: Session, records: list[Any], record_type: str, actor: str) -> None:
    """Insert new records with one flush, then audit and enqueue each."""
    if not records:
        return
    session.add_all(records)
    session.flush()
    for record in records:
        record_change(session=session, record=record, record_type=record_type, actor=actor,
                      action="create", before=None, after=snapshot(record, record_type))


def complete_values(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Every column of a table model but the id: the given values, defaults for the rest."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        if name in values:
            out[name] = values[name]
        elif info.default_factory is not None:
            out[name] = info.default_factory()  # type: ignore[call-arg]
        elif info.default is not PydanticUndefined:
            out[name] = info.default
    return out


def insert_rows(*, session: Session, model: Any, record_type: str, rows: list[dict[str, Any]],
                actor: str) -> list[int]:
    """Insert new records from field values with one statement, audit and enqueue each; returns ids."""
    if not rows:
        return []
    full = [complete_values(model, row) for row in rows]
    ids = _insert_returning_ids(session, model.__table__, full)
    fields = FIELDS[record_type]
    audit.append_many(session=session, actor=actor, action="create", record_type=record_type,
                      items=((str(i), None, {f: row.get(f) for f in fields}) for i, row in zip(ids, full, strict=True)))
    if record_type in outbox.RECORD_TYPES:
        outbox.enqueue_many(session=session, record_type=record_type, record_ids=ids)
    return ids


def _insert_returning_ids(session: Session, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Core executemany (no ORM per-row work); on PostgreSQL the ids are reserved from the sequence first,
    so psycopg runs one short cached statement in a pipeline instead of parsing huge multi-row INSERTs."""
    if session.get_bind().dialect.name != "postgresql":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [int(i) for i in session.execute(statement, rows).scalars()]
    reserve = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")
    ids = sorted(int(i) for i in session.execute(reserve, {"table": table.name, "n": len(rows)}).scalars())
    session.execute(insert(table), [row | {"id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def apply_changes(*, session: Session, record: Any, record_type: str, changes: dict[str, Any],
                  actor: str) -> bool:
    """Set the fields that differ, bump the version, audit and enqueue; False if nothing changed."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None and name in _NOT_NULL:
            continue
        old = getattr(record, name)
        if old != value:
            before[name], after[name] = audit.jsonable(old), audit.jsonable(value)
            setattr(record, name, value)
    if not after:
        return False
    record.updated_at = utcnow()
    if "name" in after and hasattr(record, "name_key"):
        record.name_key = company_key(record.name)
    with conflict_on_stale():  # the audit append may autoflush earlier changes
        record_change(session=session, record=record, record_type=record_type, actor=actor,
                      action="update", before=before, after=after)
    return True


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


def update_record(*, session: Session, record: Any, record_type: str, data: SQLModel, actor: str,
                  expected_version: int | None) -> bool:
    """Apply an update schema's set fields; a stale `expected_version` or a concurrent write → Conflict."""
    if expected_version is not None and expected_version != record.version:
        raise Conflict(STALE, code="stale_version")
    changed = apply_changes(session=session, record=record, record_type=record_type,
                            changes=data.model_dump(exclude_unset=True), actor=actor)
    flush(session=session)
    return changed


def get_record(*, session: Session, model: Any, record_id: int, record_type: str) -> Any:
    """The record with this id, or NotFound naming its kind."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"未找到编号为 {record_id} 的{LABEL[record_type]}")
    return record


def key_taken(*, session: Session, model: Any, column: str, value: str, exclude_id: int | None = None) -> bool:
    """Whether another record already has this business key."""
    query = select(model.id).where(getattr(model, column) == value)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return session.exec(query.limit(1)).first() is not None


def probable_duplicate(*, session: Session, model: Any, name_key: str, uscc: str) -> int | None:
    """The id of an existing provider/enterprise with the same name key but another USCC."""
    if not name_key:
        return None
    query = select(model.id).where(model.name_key == name_key, model.uscc != uscc)
    return session.exec(query.order_by(model.id).limit(1)).first()


def change_listing_status(*, session: Session, record: Any, record_type: str, status: ListingStatus | str,
                          actor: str, remark: str | None) -> None:
    """Move a provider or solution along LISTING_TRANSITIONS, audited and flushed."""
    old, new = ListingStatus(record.status), ListingStatus(status)
    if new not in LISTING_TRANSITIONS[old]:
        raise InvalidTransition(f"{LABEL[record_type]}状态不能从“{old.value}”变更为“{new.value}”")
    before = {"status": old.value, "review_remark": record.review_remark}
    record.status, record.review_remark = new.value, remark
    record.status_changed_by, record.status_changed_at = actor, utcnow()
    record.updated_at = record.status_changed_at
    with conflict_on_stale():
        record_change(session=session, record=record, record_type=record_type, actor=actor,
                      action="status", before=before, after={"status": new.value, "review_remark": remark})
        session.flush()

# --- look-ups by business key --------------------------------------------------------------


def find_by_keys(*, session: Session, model: Any, column: str, keys: list[str], chunk: int = 500) -> dict[str, Any]:
    """Existing records whose `column` is in `keys`, by key (one query per `chunk` keys)."""
    found: dict[str, Any] = {}
    unique = sorted(set(keys))
    for start in range(0, len(unique), chunk):
        part = unique[start:start + chunk]
        for record in session.exec(select(model).where(col(getattr(model, column)).in_(part))).all():
            found[getattr(record, column)] = record
    return found
