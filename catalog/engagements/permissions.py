"""Who may see, record and move 对接成果 (engagements):

- an engagement is seen and corrected by its enterprise, its provider and the bureau of the
  enterprise's region; an enterprise records one for itself, a bureau for the enterprises of
  its regions (CREATE_ENGAGEMENT on the Enterprise);
- the workflow: the enterprise and the provider sign, start, propose acceptance and terminate
  it, and so may the bureau of the enterprise's region; only that bureau confirms an
  acceptance (which computes the subsidy); only the enterprise rates.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import col, select

from catalog.access import (
    CREATE_ENGAGEMENT,
    EDIT,
    ENTERPRISE_ROLES,
    VIEW,
    active,
    in_regions,
    lookup,
    own_enterprise,
    own_provider,
    refuse,
    region_filter,
)
from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise
from catalog.errors import Forbidden
from catalog.users.models import Role, User

# Steps of the engagement workflow (catalog/engagements/service.py).
SIGN, START, PROPOSE, CONFIRM, TERMINATE, RATE = "sign", "start", "propose", "confirm", "terminate", "rate"
STEPS = (SIGN, START, PROPOSE, CONFIRM, TERMINATE, RATE)
_STEP_DENIED = {
    CONFIRM: "只有企业所在地区的主管部门可以确认验收",
    RATE: "只有该企业可以评价对接服务",
}


def can(user: User | None, action: str, record: Engagement | Enterprise) -> bool:
    """May `user` see or correct an engagement (VIEW, EDIT), or record one for an enterprise
    (CREATE_ENGAGEMENT)?"""
    if user is not None and not active(user):
        return False
    if isinstance(record, Enterprise):
        return action == CREATE_ENGAGEMENT and (in_regions(user, record.region) or own_enterprise(user, record.id))
    enterprise = lookup(record, Enterprise, record.enterprise_id)
    bureau = enterprise is not None and in_regions(user, enterprise.region)
    if action in (VIEW, EDIT):
        return bureau or own_enterprise(user, record.enterprise_id) or own_provider(user, record.provider_id)
    return False


def require(user: User | None, action: str, record: Engagement | Enterprise, *, hide: bool = False) -> None:
    """Raise Forbidden (or NotFound when `hide`) unless `user` may do `action` on `record`."""
    if not can(user, action, record):
        refuse(action, hide=hide)


def visible_engagements(user: User | None, statement: Any) -> Any:
    """Add to a `select(Engagement…)` the filter of what `user` may see."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role == Role.BUREAU:
        in_region = select(Enterprise.id).where(region_filter(user, Enterprise.region))
        return statement.where(col(Engagement.enterprise_id).in_(in_region))
    if user.role in ENTERPRISE_ROLES:
        return statement.where(col(Engagement.enterprise_id) == user.enterprise_id)
    if user.role == Role.PROVIDER:
        return statement.where(col(Engagement.provider_id) == user.provider_id)
    return statement.where(false())


# --- the workflow ---------------------------------------------------------------------------


def is_party(user: User | None, engagement: Engagement) -> bool:
    """The enterprise or the provider of the engagement."""
    if user is None or not user.active:
        return False
    if user.role in ENTERPRISE_ROLES:
        return user.enterprise_id == engagement.enterprise_id
    return user.role == Role.PROVIDER and user.provider_id == engagement.provider_id


def is_bureau_of(user: User | None, enterprise: Enterprise | None) -> bool:
    """A bureau whose regions hold the enterprise."""
    return (user is not None and user.active and enterprise is not None
            and in_regions(user, enterprise.region))


def can_step(user: User | None, step: str, engagement: Engagement, enterprise: Enterprise | None) -> bool:
    """May `user` take workflow `step` on `engagement` (of `enterprise`)?"""
    if step == CONFIRM:
        return is_bureau_of(user, enterprise)
    if step == RATE:
        return (user is not None and user.role in ENTERPRISE_ROLES
                and user.enterprise_id == engagement.enterprise_id)
    return is_party(user, engagement) or is_bureau_of(user, enterprise)


def require_step(user: User | None, step: str, engagement: Engagement, enterprise: Enterprise | None) -> None:
    """Raise Forbidden unless `user` may take `step`."""
    if not can_step(user, step, engagement, enterprise):
        raise Forbidden(message=_STEP_DENIED.get(step, "只有对接双方或所在地区的主管部门可以推进该对接"))
