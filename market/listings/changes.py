"""What changed in a listing since a bureau last approved it, read from the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from catalog.audit.models import AuditEntry
from catalog.providers.models import ListingStatus
from market.web.labels import label, show

# Fields a reviewer does not judge: review bookkeeping, not content.
_SKIP = {"status", "review_remark", "excellent"}
_ACTIONS = {"create": "新建", "update": "修改", "status": "状态变更", "delete": "删除", "reorder": "排序"}


@dataclass
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass
class HistoryLine:
    at: Any
    actor: str
    action: str
    summary: str


@dataclass
class PendingChanges:
    """The fields changed since the last approval (`is_new`: never approved yet)."""

    is_new: bool
    changes: list[FieldChange] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)


def _entries(session: Session, record_type: str, record_id: int) -> list[AuditEntry]:
    statement = select(AuditEntry).where(
        AuditEntry.record_type == record_type, AuditEntry.record_key == str(record_id)
    )
    return list(session.exec(statement.order_by(col(AuditEntry.id))).all())


def _is_approval(entry: AuditEntry) -> bool:
    """A bureau published it: by a status change, or by creating it published (an import)."""
    published = (entry.after or {}).get("status") == ListingStatus.PUBLISHED.value
    return entry.action in ("status", "create") and published


def pending_changes(session: Session, record_type: str, record_id: int, history: int = 8) -> PendingChanges:
    """Merge every update after the last approval: each field's value then and now."""
    entries = _entries(session, record_type, record_id)
    last_approval = max((i for i, e in enumerate(entries) if _is_approval(e)), default=-1)
    result = PendingChanges(is_new=last_approval < 0)
    since = entries[last_approval + 1:] if last_approval >= 0 else entries
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for entry in since:
        if entry.action not in ("update", "create"):
            continue
        for name, value in (entry.after or {}).items():
            if name in _SKIP:
                continue
            before.setdefault(name, (entry.before or {}).get(name))
            after[name] = value
    result.changes = [
        FieldChange(name, label(record_type, name), show(name, before[name]), show(name, value))
        for name, value in after.items()
        if before[name] != value
    ]
    result.history = [_line(record_type, e) for e in reversed(entries[-history:])]
    return result


def _line(record_type: str, entry: AuditEntry) -> HistoryLine:
    after = entry.after or {}
    if entry.action == "status":
        summary = f"{(entry.before or {}).get('status', '')} → {after.get('status', '')}"
        if after.get("review_remark"):
            summary += f"（{after['review_remark']}）"
    elif entry.action == "update":
        summary = "、".join(label(record_type, name) for name in after)
    else:
        summary = ""
    return HistoryLine(entry.at, entry.actor, _ACTIONS.get(entry.action, entry.action), summary)
