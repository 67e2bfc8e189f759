"""Access rules of the pilot's own flows: events, chains, leads, the engagement workflow,
the progress pages and background jobs. Re-exported by market/permissions/__init__.py:
call them as `perm.require_step(...)`, `perm.can_view_chain(...)`, … .

- events: the bureau of an event's region manages it (one stored without a region: the
  bureau that made it); it registers only parties of its regions (and published providers);
  participants act only for their own enterprise / provider, and a registration the bureau
  made shows the enterprise's needs to providers only once the enterprise consents;
- chains: listed for bureaus and chain leaders; a chain is viewed by its leader or the
  bureau of the leader's region;
- engagement workflow: the enterprise and the provider of an engagement sign, start,
  propose acceptance and terminate it, and so may the bureau of the enterprise's region;
  only that bureau confirms an acceptance (which computes the subsidy); only the
  enterprise rates;
- progress (dashboard, target tables, evaluations, lists): the bureau, for its regions;
- background jobs: their creator, or a bureau whose regions cover the job's whole scope.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, select

from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise
from catalog.errors import Forbidden
from catalog.events.models import Event, EventParticipant, EventStatus
from catalog.providers.models import ListingStatus, Provider
from catalog.users.models import Role, User
from market.permissions.rules import _is_bureau, _own_enterprise, _own_provider, in_regions

# Steps of the engagement workflow (market/engagements/flow_api.py).
SIGN, START, PROPOSE, CONFIRM, TERMINATE, RATE = "sign", "start", "propose", "confirm", "terminate", "rate"
STEPS = (SIGN, START, PROPOSE, CONFIRM, TERMINATE, RATE)
_STEP_DENIED = {
    CONFIRM: "只有企业所在地区的主管部门可以确认验收",
    RATE: "只有该企业可以评价对接服务",
}
_CHAIN_ROLES = (Role.BUREAU, Role.CHAIN_LEADER)


# --- events, chains, leads ---------------------------------------------------------------


def manages_event(user: User | None, event: Event) -> bool:
    """The bureau of the event's region (an event stored without a region: the bureau that made it)."""
    if not _is_bureau(user) or user is None or not user.active:
        return False
    if event.region:
        return in_regions(user, event.region)
    return bool(event.created_by) and event.created_by in (user.username, f"{user.role}:{user.username}")


def require_event_region(user: User | None, region: str | None) -> None:
    """Raise Forbidden unless `region` is one of the bureau's own (where it may hold an event)."""
    if not region or not in_regions(user, region):
        raise Forbidden("region_forbidden", f"只能在本辖区内举办对接活动（“{region or ''}”不在本辖区内）")


def can_enrol(user: User | None, party: Enterprise | Provider) -> bool:
    """May a bureau register `party` for an event it manages? An enterprise of its own regions; a
    provider of its regions or one published in the pool (its listing is public)."""
    if isinstance(party, Enterprise):
        return in_regions(user, party.region)
    return in_regions(user, party.region) or party.status == ListingStatus.PUBLISHED


def can_view_event(user: User | None, event: Event) -> bool:
    """Drafts show only to the bureau managing the event; later states to every logged-in user."""
    if user is None or not user.active:
        return False
    return manages_event(user, event) or event.status != EventStatus.DRAFT


def own_participant(user: User | None, person: EventParticipant) -> bool:
    """The enterprise or provider user behind a participant."""
    if person.enterprise_id is not None:
        return _own_enterprise(user, person.enterprise_id)
    return _own_provider(user, person.provider_id)


def can_view_chain(user: User | None, leader: Enterprise) -> bool:
    """The leader itself, or a bureau whose regions hold the leader, may view a chain."""
    if user is None or not user.active:
        return False
    if user.role == Role.BUREAU:
        return in_regions(user, leader.region)
    return user.enterprise_id is not None and user.enterprise_id == leader.id


def can_see_progress(user: User | None, member: Enterprise) -> bool:
    """A member's engagement progress shows to its region's bureau, or (in a chain the user
    may view) to the leader if the member shares its needs with its chain."""
    if user is not None and user.role == Role.BUREAU:
        return in_regions(user, member.region)
    return bool(member.share_needs_with_chain)


def can_view_leads(user: User | None, provider: Provider) -> bool:
    """The provider itself or its region's bureau may see the provider's leads."""
    return user is not None and user.active and (_own_provider(user, provider.id) or in_regions(user, provider.region))


def lead_enterprises(provider_id: int) -> ColumnElement[bool]:
    """Enterprises whose needs may be shown as leads to a provider: opted in (findable_by_providers),
    or at an event with it that the enterprise registered for itself or consented to."""
    events = select(EventParticipant.event_id).where(col(EventParticipant.provider_id) == provider_id)
    partners = select(EventParticipant.enterprise_id).where(
        col(EventParticipant.event_id).in_(events), col(EventParticipant.enterprise_id).is_not(None),
        col(EventParticipant.consented).is_(True))
    return or_(col(Enterprise.findable_by_providers).is_(True), col(Enterprise.id).in_(partners))


def can_answer_leads(user: User | None, provider: Provider) -> bool:
    """Only the provider itself answers its leads (contacted / not relevant)."""
    return user is not None and user.active and _own_provider(user, provider.id)


def require_answer_leads(user: User | None, provider: Provider) -> None:
    if not can_answer_leads(user, provider):
        raise Forbidden("leads_forbidden", "只有服务商本身可以跟进自己的商机")


def require_lead_contacts(user: User | None) -> None:
    """Who contacted whom is the bureau's to read (for the enterprises of its regions)."""
    if user is None or not user.active or user.role != Role.BUREAU:
        raise Forbidden("wrong_role", "仅限主管部门查看商机跟进记录")


def lead_shows_budget(enterprise: Enterprise) -> bool:
    """Budgets appear in a provider's leads only when the enterprise chose to share them."""
    return bool(enterprise.share_budget)


def can_list_chains(user: User | None) -> bool:
    """The chains overview (page and API): bureaus and chain leaders."""
    return user is not None and user.active and user.role in _CHAIN_ROLES


def require_list_chains(user: User | None) -> None:
    """Raise Forbidden unless `user` may list chains."""
    if not can_list_chains(user):
        raise Forbidden("wrong_role", "仅限主管部门和链主企业查看产业链")


# --- engagement workflow ----------------------------------------------------------------


def is_party(user: User | None, engagement: Engagement) -> bool:
    """The enterprise or the provider of the engagement."""
    if user is None or not user.active:
        return False
    if user.role in (Role.ENTERPRISE, Role.CHAIN_LEADER):
        return user.enterprise_id == engagement.enterprise_id
    return user.role == Role.PROVIDER and user.provider_id == engagement.provider_id


def can_request_contact(user: User | None) -> bool:
    """申请对接 is for an enterprise (or chain leader) account bound to its enterprise."""
    return (user is not None and user.active and user.role in (Role.ENTERPRISE, Role.CHAIN_LEADER)
            and user.enterprise_id is not None)


def require_request_contact(user: User | None) -> None:
    if not can_request_contact(user):
        raise Forbidden("wrong_role", "仅限试点企业账号申请对接")


def can_message(user: User | None, engagement: Engagement, enterprise: Enterprise | None) -> bool:
    """An engagement's messages are written by its parties and the bureau of the enterprise."""
    return is_party(user, engagement) or is_bureau_of(user, enterprise)


def require_message(user: User | None, engagement: Engagement, enterprise: Enterprise | None) -> None:
    if not can_message(user, engagement, enterprise):
        raise Forbidden("not_a_party", "只有对接双方和企业所在地区的主管部门可以留言")


def message_side(user: User) -> str:
    """How a message's author is shown: 企业, 服务商 or 主管部门."""
    return {Role.PROVIDER: "服务商", Role.BUREAU: "主管部门"}.get(Role(user.role), "企业")


def is_bureau_of(user: User | None, enterprise: Enterprise | None) -> bool:
    """A bureau whose regions hold the enterprise."""
    return (user is not None and user.active and enterprise is not None
            and in_regions(user, enterprise.region))


def can_step(user: User | None, step: str, engagement: Engagement, enterprise: Enterprise | None) -> bool:
    """May `user` take workflow `step` on `engagement` (of `enterprise`)?"""
    if step == CONFIRM:
        return is_bureau_of(user, enterprise)
    if step == RATE:
        return (user is not None and user.role in (Role.ENTERPRISE, Role.CHAIN_LEADER)
                and user.enterprise_id == engagement.enterprise_id)
    return is_party(user, engagement) or is_bureau_of(user, enterprise)


def require_step(user: User | None, step: str, engagement: Engagement, enterprise: Enterprise | None) -> None:
    """Raise Forbidden unless `user` may take `step`."""
    if not can_step(user, step, engagement, enterprise):
        raise Forbidden(message=_STEP_DENIED.get(step, "只有对接双方或所在地区的主管部门可以推进该对接"))


# --- progress and background jobs -------------------------------------------------------


def can_view_progress(user: User | None, region: str) -> bool:
    """The dashboard, target table, evaluations and lists of a city: its bureau."""
    return in_regions(user, region) and bool(user and user.active)


def require_progress(user: User | None, region: str) -> None:
    """Raise Forbidden unless `user` is a bureau of `region`."""
    if not can_view_progress(user, region):
        raise Forbidden(message="只有所在地区的主管部门可以查看和维护试点进展")


def bureau_regions(user: User | None) -> list[str]:
    """The regions a bureau user administers (empty for everyone else)."""
    if user is None or user.role != Role.BUREAU or not user.active:
        return []
    return [r for r in user.regions if r]


def cohort_regions(user: User, region: str | None) -> list[str]:
    """The regions a bureau's cohort match covers: `region` (inside its regions) or all of them."""
    region = (region or "").strip()
    if region and not in_regions(user, region):
        raise Forbidden("region_forbidden", f"只能对本辖区的企业发起批量匹配（“{region}”不在本辖区内）")
    regions = [region] if region else [r for r in user.regions if r]
    if not regions:
        raise Forbidden("no_regions", "当前账号未设置管辖地区，无法发起批量匹配")
    return regions


def can_read_job(user: User | None, *, created_by_user: bool, regions: list[str]) -> bool:
    """A background job: its creator, or a bureau whose regions cover every region of its scope."""
    if user is None or not user.active:
        return False
    if created_by_user:
        return True
    return user.role == Role.BUREAU and bool(regions) and all(in_regions(user, r) for r in regions)
