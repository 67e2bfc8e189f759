"""Who may see and change a solution (小快轻准产品和解决方案):

- the public sees published solutions of published providers;
- the bureau of the provider's region sees them, edits them, changes their status and sets
  the 优秀 flag; it may move a solution only to a provider of its own regions;
- a provider sees, edits and withdraws its own solutions (until retired, 已退出), and never
  changes a status or the 优秀 flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, select

from catalog.access import (
    CHANGE_STATUS,
    EDIT,
    PUBLISHED,
    SET_EXCELLENT,
    VIEW,
    WITHDRAW,
    active,
    in_regions,
    is_bureau,
    lookup,
    own_provider,
    refuse,
    require_bureau_fields,
)
from catalog.errors import Forbidden
from catalog.providers.models import ListingStatus, Provider
from catalog.providers.permissions import managed_providers
from catalog.solutions.models import Solution
from catalog.users.models import Role, User

# Fields only the bureau of the solution's provider changes: whose solution it is.
BUREAU_FIELDS = {"provider_id": "所属服务商"}


def can(user: User | None, action: str, solution: Solution) -> bool:
    """May `user` (None: the public) do `action` (VIEW, EDIT, WITHDRAW, CHANGE_STATUS,
    SET_EXCELLENT) on `solution`?"""
    if user is not None and not active(user):
        return False
    provider = lookup(solution, Provider, solution.provider_id)
    bureau = provider is not None and in_regions(user, provider.region)
    own = own_provider(user, solution.provider_id)
    if action == VIEW:
        public = solution.status == PUBLISHED and provider is not None and provider.status == PUBLISHED
        return public or bureau or own
    if action == EDIT:
        return bureau or (own and solution.status != ListingStatus.RETIRED)
    if action == WITHDRAW:
        return own and solution.status != ListingStatus.RETIRED
    if action in (CHANGE_STATUS, SET_EXCELLENT):
        return bureau
    return False


def require(user: User | None, action: str, solution: Solution, *, hide: bool = False) -> None:
    """Raise Forbidden (or NotFound when `hide`) unless `user` may do `action` on `solution`."""
    if not can(user, action, solution):
        refuse(action, hide=hide)


def require_fields(user: User | None, solution: Solution, changes: dict[str, Any]) -> None:
    """Raise Forbidden when `changes` moves the solution to another provider without being the
    bureau of both."""
    if "provider_id" in require_bureau_fields(user, solution, changes, BUREAU_FIELDS):
        target = lookup(solution, Provider, changes["provider_id"])
        if target is None or not in_regions(user, target.region):
            raise Forbidden("region_forbidden", "只能把产品转给本辖区内的服务商")


@dataclass(frozen=True)
class Beyond:
    """What a user sees besides the published solutions of published providers."""

    regions: tuple[str, ...] = ()  # a bureau: every solution of the providers located in these regions
    own_provider_id: int | None = None  # a provider: its own solutions, whatever their status


def seen_beyond_published(user: User | None) -> Beyond:
    """The one statement of who sees which unpublished solutions: `visible_solutions` turns it
    into SQL, the search into its index's filter."""
    if user is None or not active(user):
        return Beyond()
    if is_bureau(user):
        return Beyond(regions=tuple(r for r in user.regions if r))
    if user.role == Role.PROVIDER and user.provider_id is not None:
        return Beyond(own_provider_id=user.provider_id)
    return Beyond()


def visible_solutions(user: User | None, statement: Any) -> Any:
    """Add to a `select(Solution…)` the filter of what `user` may see."""
    published = select(Provider.id).where(Provider.status == PUBLISHED)
    condition: ColumnElement[bool] = (col(Solution.status) == PUBLISHED) & col(Solution.provider_id).in_(published)
    beyond = seen_beyond_published(user)
    if beyond.regions:
        in_region = select(Provider.id).where(
            or_(*[col(Provider.region).startswith(r, autoescape=True) for r in beyond.regions]))
        condition = or_(condition, col(Solution.provider_id).in_(in_region))
    if beyond.own_provider_id is not None:
        condition = or_(condition, col(Solution.provider_id) == beyond.own_provider_id)
    return statement.where(condition)


def managed_solutions(user: User | None, statement: Any) -> Any:
    """Add to a `select(Solution…)` the filter of what `user` manages (CHANGE_STATUS, SET_EXCELLENT):
    a bureau the solutions of the providers located in its regions, everyone else none."""
    return statement.where(col(Solution.provider_id).in_(managed_providers(user, select(Provider.id))))
