"""Who may see and manage user accounts:

- everyone sees their own account;
- a bureau sees and manages the accounts bound to records of its regions (a provider's, an
  enterprise's), and bureau accounts whose regions all lie within its own; it hands out access
  only within its own regions (require_grant).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_
from sqlmodel import Session, col, select

from catalog.access import (
    EDIT,
    MANAGE_USERS,
    VIEW,
    active,
    covers_regions,
    in_regions,
    is_bureau,
    lookup,
    refuse,
    region_filter,
)
from catalog.enterprises.models import Enterprise
from catalog.errors import Forbidden
from catalog.providers.models import Provider
from catalog.users.models import Role, User
from catalog.users.service import clean_regions


def _in_regions(user: User | None, target: User) -> bool:
    """Is `target`'s binding (provider, enterprise, or every bureau region) within `user`'s regions?"""
    if not is_bureau(user):
        return False
    if target.provider_id is not None:
        provider = lookup(target, Provider, target.provider_id)
        return provider is not None and in_regions(user, provider.region)
    if target.enterprise_id is not None:
        enterprise = lookup(target, Enterprise, target.enterprise_id)
        return enterprise is not None and in_regions(user, enterprise.region)
    return covers_regions(user, list(target.regions))


def can(user: User | None, action: str, target: User | None = None) -> bool:
    """May `user` do `action` (VIEW, EDIT, MANAGE_USERS) on the account `target` (None: manage
    accounts at all)?"""
    if user is not None and not active(user):
        return False
    if target is None:
        return action == MANAGE_USERS and is_bureau(user)
    if action == VIEW:
        return (user is not None and user.id == target.id) or _in_regions(user, target)
    return action in (EDIT, MANAGE_USERS) and _in_regions(user, target)


def require(user: User | None, action: str, target: User | None = None, *, hide: bool = False) -> None:
    """Raise Forbidden (or NotFound when `hide`) unless `user` may do `action` on `target`."""
    if not can(user, action, target):
        refuse(action, hide=hide)


def require_grant(session: Session, user: User | None, *, role: str, regions: list[str],
                  provider_id: int | None = None, enterprise_id: int | None = None) -> None:
    """A bureau hands out access only within its own regions: a bureau account's regions (as
    they will be stored), a provider's or an enterprise's account of a record in them; Forbidden otherwise."""
    if role == Role.BUREAU and not all(in_regions(user, r) for r in clean_regions(regions)):
        raise Forbidden("out_of_region", "只能为本辖区内的地区创建主管部门账号")
    if provider_id is not None:
        provider = session.get(Provider, provider_id)
        if provider is None or not in_regions(user, provider.region):
            raise Forbidden("out_of_region", "只能为本辖区内的服务商创建账号")
    if enterprise_id is not None:
        enterprise = session.get(Enterprise, enterprise_id)
        if enterprise is None or not in_regions(user, enterprise.region):
            raise Forbidden("out_of_region", "只能为本辖区内的企业创建账号")


def visible_users(user: User | None, statement: Any) -> Any:
    """Add to a `select(User…)` the filter of what `user` may see: a bureau the users bound to
    records in its regions (and itself), everyone else only themselves."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role != Role.BUREAU:
        return statement.where(col(User.id) == user.id)
    providers = select(Provider.id).where(region_filter(user, Provider.region))
    enterprises = select(Enterprise.id).where(region_filter(user, Enterprise.region))
    return statement.where(or_(col(User.id) == user.id, col(User.provider_id).in_(providers),
                               col(User.enterprise_id).in_(enterprises)))
