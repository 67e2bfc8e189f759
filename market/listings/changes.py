"""What changed in a listing since a bureau last approved it, as the review page words it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from catalog.audit.models import AuditEntry
from catalog.providers.queue import since_approval
from market.web.labels import label, show

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


def pending_changes(session: Session, record_type: str, record_id: int, history: int = 8) -> PendingChanges:
    """What the review page shows: the fields changed since the last approval
    (catalog.providers.queue.since_approval) and the latest lines of the record's history."""
    read = since_approval(session=session, record_type=record_type, record_id=record_id)
    result = PendingChanges(is_new=read.is_new)
    result.changes = [FieldChange(name, label(record_type, name), show(name, then), show(name, now))
                      for name, (then, now) in read.changes.items()]
    result.history = [_line(record_type, e) for e in reversed(read.entries[-history:])]
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
