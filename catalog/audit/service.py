"""The append-only, hash-chained audit log (全过程留痕、防篡改).

Each entry's hash is SHA-256 over a canonical JSON of the entry (id, time, actor,
action, record, before, after) and the previous entry's hash; the first entry chains
to 64 zeros. Ids are assigned here, consecutively, so a removed entry leaves a gap.

A transaction's entries are collected on its session and chained just before it commits
(its other changes flushed first), in the same transaction: all of a change and its
audit, or none. A transaction that reads the log has them chained before the read.
Chaining is serialised, on PostgreSQL by a transaction-scoped advisory lock, on SQLite by
the database write lock, so the lock is held only from chaining to commit, not while a
request does its other work (held that long, it queued concurrent writes behind it). An
entry's time is the time it was chained.

The chain alone cannot show that its last entries were deleted, so the transaction that
appends also writes the head (table audithead: the last id and hash) with its entries;
verify compares the end of the chain with the head.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, text, update
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from catalog.audit.models import AuditEntry, AuditHead
from catalog.records import utcnow

GENESIS = "0" * 64
_TAIL_KEY = "audit_tail"
_PENDING_KEY = "audit_pending"
_LOCK_KEY = 0x5A54_4155  # "ZTAU": the advisory lock of the audit chain


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None
    message_zh: str


_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a value (datetimes as ISO text, enums as their value)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _iso(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(entry: AuditEntry) -> str:
    """The hash an entry must carry, given its content and its prev_hash."""
    return _hash({name: getattr(entry, name) for name in _HASHED})


_HASHED = ("id", "at", "actor", "action", "record_type", "record_key", "before", "after", "prev_hash")


def _hash(fields: dict[str, Any]) -> str:
    payload = dict(fields, at=_iso(fields["at"]))
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _tail(session: Session) -> tuple[int, str]:
    """(last id, last hash), read once per transaction under the chain's lock."""
    cached = session.info.get(_TAIL_KEY)
    if cached is not None:
        return cached
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    elif dialect == "sqlite":  # a no-op write takes the database write lock before the read
        session.execute(text("UPDATE auditentry SET id = id WHERE id < 0"))
    last = session.exec(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()  # type: ignore[union-attr]
    tail = (int(last[0] or 0), str(last[1])) if last else (0, GENESIS)
    session.info[_TAIL_KEY] = tail
    return tail


@dataclass(frozen=True)
class _Pending:
    actor: str
    action: str
    record_type: str
    record_key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _pending(session: Session) -> list[_Pending]:
    return session.info.setdefault(_PENDING_KEY, [])  # type: ignore[no-any-return]


def append(
    *,
    session: Session,
    actor: str,
    action: str,
    record_type: str,
    record_key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add one entry to the session's transaction; it is chained when the transaction commits."""
    append_many(session=session, actor=actor, action=action, record_type=record_type,
                items=[(record_key, before, after)])


def append_many(
    *,
    session: Session,
    actor: str,
    action: str,
    record_type: str,
    items: Iterable[tuple[str, dict[str, Any] | None, dict[str, Any] | None]],
) -> int:
    """Add one entry per (record_key, before, after), as `append`; returns how many.
    The values are copied now, so later changes to the records do not reach the entries."""
    if not session.in_transaction():
        session.begin()  # the entries belong to a transaction: its rollback discards them
    entries = [_Pending(actor, action, record_type, str(key), jsonable(before) if before is not None else None,
                        jsonable(after) if after is not None else None) for key, before, after in items]
    _pending(session).extend(entries)
    return len(entries)


def chain_pending(session: OrmSession) -> None:
    """Chain the transaction's collected entries and record the new head (run before commit)."""
    pending: list[_Pending] = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    session.flush()  # the records first: the chain's lock is then held only from here to commit
    last_id, last_hash = _tail(session)  # type: ignore[arg-type]
    at = utcnow()
    rows: list[dict[str, Any]] = []
    for entry in pending:
        last_id += 1
        fields = {"id": last_id, "at": at, "actor": entry.actor, "action": entry.action,
                  "record_type": entry.record_type, "record_key": entry.record_key,
                  "before": entry.before, "after": entry.after, "prev_hash": last_hash}
        fields["hash"] = last_hash = _hash(fields)
        rows.append(fields)
    session.execute(insert(AuditEntry.__table__), rows)  # type: ignore[attr-defined]
    session.info[_TAIL_KEY] = (last_id, last_hash)
    values = {"last_id": last_id, "last_hash": last_hash, "updated_at": utcnow()}
    result = session.execute(update(AuditHead).where(AuditHead.id == 1).values(**values))  # type: ignore[arg-type]
    if getattr(result, "rowcount", 1) == 0:
        session.execute(insert(AuditHead).values(id=1, **values))


@event.listens_for(OrmSession, "before_commit")
def _chain_before_commit(session: OrmSession) -> None:
    chain_pending(session)


@event.listens_for(OrmSession, "do_orm_execute")
def _chain_before_reading_the_log(state: ORMExecuteState) -> None:
    """A transaction that reads the log sees its own entries in it (chained then, not at commit)."""
    if state.is_select and state.session.info.get(_PENDING_KEY) and any(
            m.class_ is AuditEntry for m in state.all_mappers):
        chain_pending(state.session)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
@event.listens_for(OrmSession, "after_soft_rollback")
def _forget_tail(session: OrmSession, *_args: Any) -> None:
    session.info.pop(_TAIL_KEY, None)
    session.info.pop(_PENDING_KEY, None)


_COLUMNS = (*_HASHED, "hash")


def verify(*, session: Session, batch: int = 2000) -> VerifyResult:
    """Walk the whole chain; name the first entry altered, or the place entries were removed."""
    chain_pending(session)
    expected_id, prev_hash, checked = 1, GENESIS, 0
    columns = [getattr(AuditEntry, name) for name in _COLUMNS]
    while True:
        rows = session.execute(
            select(*columns).where(AuditEntry.id >= expected_id).order_by(AuditEntry.id).limit(batch)  # type: ignore[arg-type,operator]
        ).all()
        if not rows:
            break
        for row in rows:
            entry = dict(zip(_COLUMNS, row, strict=True))
            problem = _check(entry, expected_id, prev_hash)
            if problem is not None:
                return VerifyResult(False, checked, problem[0], problem[1])
            checked += 1
            expected_id, prev_hash = int(entry["id"]) + 1, entry["hash"]
    problem = _check_head(session, expected_id - 1, prev_hash)
    if problem is not None:
        return VerifyResult(False, checked, problem[0], problem[1])
    return VerifyResult(True, checked, None, f"审计链完整，共校验 {checked} 条")


def _check_head(session: Session, last_id: int, last_hash: str) -> tuple[int, str] | None:
    """Compare the end of the chain with the head row: a cut tail, a forged append or a lost head."""
    head = session.exec(select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == 1)).first()
    if head is None:
        if last_id == 0:
            return None
        return last_id, "审计链头记录缺失：无法确认末尾的审计记录是否被删除，链头可能已被篡改"
    head_id, head_hash = int(head[0]), str(head[1])
    if head_id > last_id:
        missing = f"第 {head_id} 条" if head_id == last_id + 1 else f"第 {last_id + 1}–{head_id} 条"
        return last_id + 1, f"审计链断裂：{missing}审计记录已被删除（链尾被截断）"
    if head_id < last_id:
        return head_id + 1, f"审计链断裂：第 {head_id + 1} 条起的审计记录未登记在链头，疑似事后伪造追加"
    if head_hash != last_hash:
        return last_id, f"审计链断裂：第 {last_id} 条审计记录被篡改（与链头记录的哈希不符）"
    return None


def _check(entry: dict[str, Any], expected_id: int, prev_hash: str) -> tuple[int, str] | None:
    entry_id = int(entry["id"])
    if entry_id != expected_id:
        missing = f"第 {expected_id} 条" if entry_id == expected_id + 1 else f"第 {expected_id}–{entry_id - 1} 条"
        return entry_id, f"审计链断裂：{missing}审计记录已被删除（发现于第 {entry_id} 条之前）"
    if _hash({name: entry[name] for name in _HASHED}) != entry["hash"]:
        return entry_id, f"审计链断裂：第 {entry_id} 条审计记录的内容被篡改（哈希不符）"
    if entry["prev_hash"] != prev_hash:
        bad = max(entry_id - 1, 1)
        return bad, f"审计链断裂：第 {bad} 条审计记录被篡改（与第 {entry_id} 条记录的前序哈希不符）"
    return None
