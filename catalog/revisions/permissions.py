"""Who may see and review revisions (a provider's pending edit of a published listing):

- a provider's own edit of its published profile or listing needs the bureau's review; a
  bureau's edit of a record in its regions takes effect at once;
- a revision is seen by its provider and by the bureau of the listing's region (a solution:
  its provider's region); only that bureau approves or rejects it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import col, select

from catalog.access import in_regions, is_bureau, own_provider, region_filter
from catalog.errors import Forbidden, NotFound
from catalog.providers.models import Provider
from catalog.revisions.models import Revision
from catalog.solutions.models import Solution
from catalog.users.models import User


def edits_need_review(user: User | None, record: Provider | Solution) -> bool:
    """Does `user`'s edit of `record` wait for review (the provider's own), rather than apply at once?"""
    provider_id = record.provider_id if isinstance(record, Solution) else record.id
    return own_provider(user, provider_id)


def _region_of(session: Any, revision: Revision) -> str | None:
    provider = session.get(Provider, revision.provider_id) if session is not None else None
    return provider.region if provider is not None else None


def can_view_revision(user: User | None, revision: Revision, session: Any) -> bool:
    """The revision's provider, or the bureau of its listing's region."""
    if user is None or not user.active:
        return False
    return own_provider(user, revision.provider_id) or in_regions(user, _region_of(session, revision))


def can_review_revision(user: User | None, revision: Revision, session: Any) -> bool:
    """Only the bureau of the listing's region approves or rejects."""
    return user is not None and user.active and in_regions(user, _region_of(session, revision))


def require_view_revision(user: User | None, revision: Revision, session: Any) -> None:
    """NotFound (existence hidden) unless the user may see the revision."""
    if not can_view_revision(user, revision, session):
        raise NotFound(message="记录不存在或无权查看")


def require_review_revision(user: User | None, revision: Revision, session: Any) -> None:
    """Forbidden unless the user is the bureau of the listing's region (after it may see it)."""
    require_view_revision(user, revision, session)
    if not can_review_revision(user, revision, session):
        raise Forbidden(message="只有所在地区的主管部门可以审核修改")


def visible_revisions(user: User | None, statement: Any) -> Any:
    """Add to a `select(Revision…)` the filter of what `user` may see."""
    if user is None or not user.active:
        return statement.where(false())
    if is_bureau(user):
        in_region = select(Provider.id).where(region_filter(user, Provider.region))
        return statement.where(col(Revision.provider_id).in_(in_region))
    if own_provider(user, user.provider_id):
        return statement.where(col(Revision.provider_id) == user.provider_id)
    return statement.where(false())
