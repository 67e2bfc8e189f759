"""The append-only, hash-chained audit log (全过程留痕、防篡改).

Each entry's hash is SHA-256 over a canonical JSON of the entry (id, time, actor,
action, record, before, after) and the previous entry's hash; the first entry chains
to 64 zeros. Ids are assigned here, consecutively, so a removed entry leaves a gap.
Appends are serialised: on PostgreSQL by a transaction-scoped advisory lock, on SQLite
by the database write lock. Within one transaction the tail of the chain is kept on
the session, so a bulk import reads the last hash once.

The chain alone cannot show that its last entries were deleted, so the transaction that
appends also writes the head (table audithead: the last id and hash) just before it
commits; verify compares the end of the chain with the head.
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
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from catalog.models import AuditEntry, AuditHead, utcnow

GENESIS = "0" * 64
_TAIL_KEY = "audit_tail"
_HEAD_DIRTY_KEY = "audit_head_dirty"
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


def append(
    *,
    session: Session,
    actor: str,
    action: str,
    record_type: str,
    record_key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Append one entry to the chain (added to the session; flushed with the next flush)."""
    last_id, last_hash = _tail(session)
    entry = AuditEntry(
        id=last_id + 1,
        at=utcnow(),
        actor=actor,
        action=action,
        record_type=record_type,
        record_key=str(record_key),
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        prev_hash=last_hash,
        hash="",
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.info[_TAIL_KEY] = (entry.id, entry.hash)
    session.info[_HEAD_DIRTY_KEY] = True
    return entry


def append_many(
    *,
    session: Session,
    actor: str,
    action: str,
    record_type: str,
    items: Iterable[tuple[str, dict[str, Any] | None, dict[str, Any] | None]],
) -> int:
    """Append one entry per (record_key, before, after) with a single INSERT; returns how many."""
    last_id, last_hash = _tail(session)
    rows: list[dict[str, Any]] = []
    for record_key, before, after in items:
        fields = {
            "id": last_id + 1, "at": utcnow(), "actor": actor, "action": action, "record_type": record_type,
            "record_key": str(record_key), "before": jsonable(before) if before is not None else None,
            "after": jsonable(after) if after is not None else None, "prev_hash": last_hash,
        }
        fields["hash"] = last_hash = _hash(fields)
        last_id += 1
        rows.append(fields)
    if rows:
        session.execute(insert(AuditEntry.__table__), rows)  # type: ignore[attr-defined]
        session.info[_TAIL_KEY] = (last_id, last_hash)
        session.info[_HEAD_DIRTY_KEY] = True
    return len(rows)


def _write_head(session: OrmSession) -> None:
    """Record this transaction's end of the chain in the head row (still under the chain's lock)."""
    if not session.info.pop(_HEAD_DIRTY_KEY, False) or _TAIL_KEY not in session.info:
        return
    last_id, last_hash = session.info[_TAIL_KEY]
    values = {"last_id": last_id, "last_hash": last_hash, "updated_at": utcnow()}
    result = session.execute(update(AuditHead).where(AuditHead.id == 1).values(**values))  # type: ignore[arg-type]
    if getattr(result, "rowcount", 1) == 0:
        session.execute(insert(AuditHead).values(id=1, **values))


@event.listens_for(OrmSession, "before_commit")
def _head_before_commit(session: OrmSession) -> None:
    _write_head(session)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
@event.listens_for(OrmSession, "after_soft_rollback")
def _forget_tail(session: OrmSession, *_args: Any) -> None:
    session.info.pop(_TAIL_KEY, None)
    session.info.pop(_HEAD_DIRTY_KEY, None)


_COLUMNS = (*_HASHED, "hash")


def verify(*, session: Session, batch: int = 2000) -> VerifyResult:
    """Walk the whole chain; name the first entry altered, or the place entries were removed."""
    _write_head(session)
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
