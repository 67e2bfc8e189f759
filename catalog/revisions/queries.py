"""Which revisions a list shows: the bureau's review queue (修改待审核), one filter for the
review page and the revisions API alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false, or_
from sqlmodel import Session, col, select

from catalog.access import is_bureau
from catalog.filters import Rows, page_of
from catalog.providers.models import ListingStatus, Provider
from catalog.revisions.models import Revision, RevisionStatus
from catalog.revisions.permissions import visible_revisions
from catalog.solutions.models import Solution
from catalog.users.models import User


def _listing_live() -> Any:
    """The revision's listing has not left the pool (退出): a retired listing's edit cannot go live."""
    live_solutions = select(Solution.id).where(col(Solution.status) != ListingStatus.RETIRED.value)
    live_providers = select(Provider.id).where(col(Provider.status) != ListingStatus.RETIRED.value)
    return or_(and_(col(Revision.record_type) == "solution", col(Revision.record_id).in_(live_solutions)),
               and_(col(Revision.record_type) == "provider", col(Revision.record_id).in_(live_providers)))


def awaiting_review(user: User | None, statement: Any) -> Any:
    """Add to a `select(Revision…)` the user's review queue: revisions waiting (待审核) for a
    bureau of the listing's region, whose listing is still in the pool. Anyone else: none."""
    if user is None or not user.active or not is_bureau(user):
        return statement.where(false())
    return visible_revisions(user, statement).where(
        col(Revision.status) == RevisionStatus.PENDING.value, _listing_live())


QUEUE_ORDER = (col(Revision.updated_at), col(Revision.id))  # a review queue: the one waiting longest first
LATEST_FIRST = (col(Revision.updated_at).desc(), col(Revision.id).desc())  # any other list


def review_queue(*, session: Session, user: User | None) -> list[Revision]:
    """The revisions waiting for this bureau, oldest first."""
    return list(session.exec(awaiting_review(user, select(Revision)).order_by(*QUEUE_ORDER)).all())


@dataclass(frozen=True)
class RevisionFilter:
    """What a list of revisions is narrowed by: the user's review queue only (`to_review`,
    in the queue's order), a status, a kind of listing, one listing."""

    to_review: bool = False
    status: str = ""
    record_type: str = ""
    record_id: int | None = None


def list_revisions(*, session: Session, user: User | None, chosen: RevisionFilter = RevisionFilter(),
                   page: int = 1, per_page: int = 20) -> Rows[Revision]:
    """One page of the revisions `user` may see that match `chosen`, and how many match: the
    review queue as the review page lists it, any other list the latest first."""
    statement = visible_revisions(user, select(Revision))
    if chosen.to_review:
        statement = awaiting_review(user, statement)
    if chosen.status:
        statement = statement.where(col(Revision.status) == chosen.status)
    if chosen.record_type:
        statement = statement.where(col(Revision.record_type) == chosen.record_type)
    if chosen.record_id is not None:
        statement = statement.where(col(Revision.record_id) == chosen.record_id)
    ordered = statement.order_by(*(QUEUE_ORDER if chosen.to_review else LATEST_FIRST))
    found, total, served = page_of(session, ordered, page=page, per_page=per_page)
    return Rows(rows=found, total=total, page=served, per_page=per_page)
