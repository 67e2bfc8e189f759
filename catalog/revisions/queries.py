"""Which revisions a list shows: the bureau's review queue (修改待审核), one filter for the
review page and the revisions API alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_
from sqlmodel import Session, col, select

from catalog.access import is_bureau
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


def review_queue(*, session: Session, user: User | None) -> list[Revision]:
    """The revisions waiting for this bureau, oldest first."""
    statement = awaiting_review(user, select(Revision)).order_by(col(Revision.updated_at), col(Revision.id))
    return list(session.exec(statement).all())
