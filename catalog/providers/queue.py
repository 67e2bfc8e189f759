"""What waits for a bureau's review decision (catalog/providers/review.py), and what a
provider has to act on: the one reading of a listing in 待审核 as a fresh submission or as
sent back for changes (退回修改: it carries the reviewer's remark until the provider edits it,
catalog/revisions/service.py).

A provider applying to join (服务商入驻) is decided on its application
(catalog/provider_applications/), so it is not listed again among the providers to review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from catalog import access
from catalog.audit.models import AuditEntry
from catalog.provider_applications import permissions as application_rules
from catalog.provider_applications import service as applications
from catalog.provider_applications.models import ProviderApplication
from catalog.providers import permissions as provider_rules
from catalog.providers import review
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions import permissions as solution_rules
from catalog.solutions.models import Solution
from catalog.users.models import User

L = TypeVar("L", Provider, Solution)
# Fields a reviewer does not judge: review bookkeeping, not content.
NOT_REVIEWED = frozenset({"status", "review_remark", "excellent"})


def is_sent_back(record: Provider | Solution) -> bool:
    """Was this listing sent back for changes (waiting for its provider, not for the bureau)?"""
    return record.status == ListingStatus.PENDING and bool(record.review_remark)


def is_fresh(record: Provider | Solution) -> bool:
    """Is this listing a submission waiting for the bureau's first look (or a resubmission)?"""
    return record.status == ListingStatus.PENDING and not record.review_remark


@dataclass
class ReviewQueue:
    """A bureau's queue: fresh submissions oldest first, then those sent back, and the
    provider applications shown apart."""

    providers: list[Provider] = field(default_factory=list)
    solutions: list[Solution] = field(default_factory=list)
    sent_back: list[Provider | Solution] = field(default_factory=list)
    applications: list[tuple[ProviderApplication, Provider]] = field(default_factory=list)


def _pending(session: Session, user: User, model: type[L], visible: Any) -> list[L]:
    statement = visible(user, select(model)).where(model.status == ListingStatus.PENDING)
    rows = list(session.exec(statement.order_by(col(model.updated_at), col(model.id))).all())
    return [r for r in rows if review.may(user, access.CHANGE_STATUS, r)]


def pending_applications(*, session: Session, user: User) -> list[tuple[ProviderApplication, Provider]]:
    """The provider applications waiting for this bureau's decision, oldest first."""
    rows = applications.applications(session=session, pending_only=True)
    return [(a, p) for a, p in rows if application_rules.can_decide_application(user, p)]


def review_queue(*, session: Session, user: User) -> ReviewQueue:
    """The listings in 待审核 this bureau may decide on, read once and split."""
    waiting = pending_applications(session=session, user=user)
    applying = {p.id for _, p in waiting}
    providers = [p for p in _pending(session, user, Provider, provider_rules.visible_providers) if p.id not in applying]
    solutions = _pending(session, user, Solution, solution_rules.visible_solutions)
    return ReviewQueue(providers=[p for p in providers if is_fresh(p)],
                       solutions=[s for s in solutions if is_fresh(s)],
                       sent_back=[*filter(is_sent_back, providers), *filter(is_sent_back, solutions)],
                       applications=waiting)


# --- what a reviewer compares: the listing since a bureau last approved it ------------------


@dataclass
class SinceApproval:
    """A listing's audit trail read for its review: `is_new` when no bureau has approved it
    yet; `changes` each reviewed field changed since then, as (value then, value now); `entries`
    the whole trail, oldest first."""

    is_new: bool
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    entries: list[AuditEntry] = field(default_factory=list)


def _is_approval(entry: AuditEntry) -> bool:
    """A bureau published it: by a status change, or by creating it published (an import)."""
    published = (entry.after or {}).get("status") == ListingStatus.PUBLISHED.value
    return entry.action in ("status", "create") and published


def since_approval(*, session: Session, record_type: str, record_id: int) -> SinceApproval:
    """Every update after the last approval merged: each field's value then and now."""
    statement = select(AuditEntry).where(AuditEntry.record_type == record_type,
                                         AuditEntry.record_key == str(record_id))
    entries = list(session.exec(statement.order_by(col(AuditEntry.id))).all())
    last = max((i for i, e in enumerate(entries) if _is_approval(e)), default=-1)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for entry in entries[last + 1:]:
        if entry.action not in ("update", "create"):
            continue
        for name, value in (entry.after or {}).items():
            if name not in NOT_REVIEWED:
                before.setdefault(name, (entry.before or {}).get(name))
                after[name] = value
    changes = {name: (before[name], value) for name, value in after.items() if before[name] != value}
    return SinceApproval(is_new=last < 0, changes=changes, entries=entries)
