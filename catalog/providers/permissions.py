"""Who may see and change a provider (服务商):

- the public sees published (已入库) providers;
- the bureau of the provider's region sees it, edits it, changes its status and creates
  providers in its regions;
- a provider sees and edits its own profile (until it is retired, 已退出) and adds its own
  solutions; it never changes its status, nor the bureau-only fields (BUREAU_FIELDS).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_
from sqlmodel import col

from catalog.access import (
    CHANGE_STATUS,
    CREATE,
    CREATE_SOLUTION,
    EDIT,
    PUBLISHED,
    VIEW,
    active,
    in_regions,
    is_bureau,
    own_provider,
    refuse,
    region_filter,
    require_bureau_fields,
)
from catalog.providers.models import ListingStatus, Provider
from catalog.users.models import Role, User

# Fields only the bureau of the provider's region changes: its identity, who administers it,
# and who leads it.
BUREAU_FIELDS = {"uscc": "统一社会信用代码", "region": "所在地区", "lead_provider_id": "主导服务商"}


def can(user: User | None, action: str, provider: Provider) -> bool:
    """May `user` (None: the public) do `action` (VIEW, EDIT, CREATE_SOLUTION, CHANGE_STATUS,
    CREATE) on `provider`?"""
    if user is not None and not active(user):
        return False
    bureau = in_regions(user, provider.region)
    if action == VIEW:
        return provider.status == PUBLISHED or bureau or own_provider(user, provider.id)
    if action in (EDIT, CREATE_SOLUTION):
        return bureau or (own_provider(user, provider.id) and provider.status != ListingStatus.RETIRED)
    if action in (CHANGE_STATUS, CREATE):
        return bureau
    return False


def require(user: User | None, action: str, provider: Provider, *, hide: bool = False) -> None:
    """Raise Forbidden (or NotFound when `hide`) unless `user` may do `action` on `provider`."""
    if not can(user, action, provider):
        refuse(action, hide=hide)


def require_fields(user: User | None, provider: Provider, changes: dict[str, Any]) -> None:
    """Raise Forbidden when `changes` sets a bureau-only field without being that bureau."""
    require_bureau_fields(user, provider, changes, BUREAU_FIELDS)


def visible_providers(user: User | None, statement: Any) -> Any:
    """Add to a `select(Provider…)` the filter of what `user` may see."""
    condition: ColumnElement[bool] = col(Provider.status) == PUBLISHED
    if is_bureau(user):
        condition = or_(condition, region_filter(user, Provider.region))
    elif user is not None and user.role == Role.PROVIDER and user.provider_id is not None:
        condition = or_(condition, col(Provider.id) == user.provider_id)
    return statement.where(condition)


def managed_providers(user: User | None, statement: Any) -> Any:
    """Add to a `select(Provider…)` the filter of what `user` manages (CHANGE_STATUS): a
    bureau the providers located in its regions, everyone else none."""
    if not is_bureau(user) or not active(user):
        return statement.where(false())
    return statement.where(region_filter(user, Provider.region))
