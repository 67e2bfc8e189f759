"""Who may see and change an enterprise (试点企业) and its needs:

- the bureau of the enterprise's region sees and edits it and its needs, creates enterprises
  in its regions, and matches cohorts of its regions' enterprises;
- an enterprise sees and edits only itself and its needs (a chain leader is an enterprise too);
  only it gives or withdraws its consent to be seen (OWN_CHOICES);
- a chain leader also sees its chain members' profiles and levels, and the needs of members
  who chose to share them (Enterprise.share_needs_with_chain);
- providers and the public never see enterprises' needs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_, true
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from catalog.access import (
    CREATE,
    DELETE,
    EDIT,
    MANAGE_NEEDS,
    VIEW,
    VIEW_NEEDS,
    active,
    in_regions,
    lookup,
    own_enterprise,
    refuse,
    region_filter,
    require_bureau_fields,
)
from catalog.chains.models import ChainLink
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import Forbidden
from catalog.users.models import Role, User

# Fields only the bureau of the enterprise's region changes: its identity, who administers it,
# and its standing in the pilot.
BUREAU_FIELDS = {"uscc": "统一社会信用代码", "region": "所在地区", "batch": "试点批次", "level": "数字化水平"}
# An enterprise's consent to be seen: only the enterprise itself gives or withdraws it.
OWN_CHOICES: dict[str, str] = {"findable_by_providers": "允许服务商查找", "share_budget": "向服务商公开预算",
                               "share_needs_with_chain": "向链主共享需求"}


def is_chain_member(user: User | None, enterprise: Enterprise) -> bool:
    """Is `enterprise` a member of the chain `user` leads?"""
    if user is None or user.role != Role.CHAIN_LEADER or user.enterprise_id is None:
        return False
    session: Session | None = object_session(enterprise)  # type: ignore[assignment]
    if session is None or enterprise.id is None:
        return False
    stmt = select(ChainLink.id).where(ChainLink.leader_id == user.enterprise_id, ChainLink.member_id == enterprise.id)
    return session.exec(stmt).first() is not None


def _can_enterprise(user: User | None, action: str, e: Enterprise) -> bool:
    bureau = in_regions(user, e.region)
    own = own_enterprise(user, e.id)
    if action == VIEW:
        return bureau or own or is_chain_member(user, e)
    if action in (EDIT, MANAGE_NEEDS):
        return bureau or own
    if action == VIEW_NEEDS:
        return bureau or own or (e.share_needs_with_chain and is_chain_member(user, e))
    if action == CREATE:
        return bureau
    return False


def can(user: User | None, action: str, record: Enterprise | Need) -> bool:
    """May `user` do `action` on an enterprise (VIEW, EDIT, VIEW_NEEDS, MANAGE_NEEDS, CREATE)
    or one of its needs (VIEW, EDIT, DELETE)? Not yet stored (CREATE): judged by its region."""
    if user is not None and not active(user):
        return False
    if isinstance(record, Enterprise):
        return _can_enterprise(user, action, record)
    enterprise = lookup(record, Enterprise, record.enterprise_id)
    if enterprise is None:
        return False
    if action == VIEW:
        return _can_enterprise(user, VIEW_NEEDS, enterprise)
    if action in (EDIT, DELETE):
        return _can_enterprise(user, MANAGE_NEEDS, enterprise)
    return False


def require(user: User | None, action: str, record: Enterprise | Need, *, hide: bool = False) -> None:
    """Raise Forbidden (or NotFound when `hide`) unless `user` may do `action` on `record`."""
    if not can(user, action, record):
        refuse(action, hide=hide)


def require_fields(user: User | None, enterprise: Enterprise, changes: dict[str, Any]) -> None:
    """Raise Forbidden when `changes` changes the enterprise's privacy choices (OWN_CHOICES)
    without being that enterprise, or sets a bureau-only field without being its bureau."""
    choices = [name for name in OWN_CHOICES if name in changes and changes[name] != getattr(enterprise, name)]
    if choices and not own_enterprise(user, enterprise.id):
        names = "、".join(OWN_CHOICES[name] for name in choices)
        raise Forbidden("consent_forbidden", f"只有企业本身可以修改隐私选择：{names}")
    require_bureau_fields(user, enterprise, changes, BUREAU_FIELDS)


def cohort_regions(user: User, region: str | None) -> list[str]:
    """The regions a bureau's cohort match covers: `region` (inside its regions) or all of them."""
    region = (region or "").strip()
    if region and not in_regions(user, region):
        raise Forbidden("region_forbidden", f"只能对本辖区的企业发起批量匹配（“{region}”不在本辖区内）")
    regions = [region] if region else [r for r in user.regions if r]
    if not regions:
        raise Forbidden("no_regions", "当前账号未设置管辖地区，无法发起批量匹配")
    return regions


def _member_ids(user: User) -> Any:
    return select(ChainLink.member_id).where(ChainLink.leader_id == user.enterprise_id)


def visible_enterprises(user: User | None, statement: Any) -> Any:
    """Add to a `select(Enterprise…)` the filter of what `user` may see."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role == Role.BUREAU:
        return statement.where(region_filter(user, Enterprise.region))
    if user.role == Role.ENTERPRISE:
        return statement.where(col(Enterprise.id) == user.enterprise_id)
    if user.role == Role.CHAIN_LEADER:
        return statement.where(or_(col(Enterprise.id) == user.enterprise_id, col(Enterprise.id).in_(_member_ids(user))))
    return statement.where(false())


def visible_needs(user: User | None, statement: Any) -> Any:
    """Add to a `select(Need…)` the filter of what `user` may see (never providers, never the public)."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role == Role.BUREAU:
        in_region = select(Enterprise.id).where(region_filter(user, Enterprise.region))
        return statement.where(col(Need.enterprise_id).in_(in_region))
    if user.role == Role.ENTERPRISE:
        return statement.where(col(Need.enterprise_id) == user.enterprise_id)
    if user.role == Role.CHAIN_LEADER:
        sharing = select(Enterprise.id).where(
            col(Enterprise.id).in_(_member_ids(user)), col(Enterprise.share_needs_with_chain) == true()
        )
        return statement.where(or_(col(Need.enterprise_id) == user.enterprise_id, col(Need.enterprise_id).in_(sharing)))
    return statement.where(false())
