"""Who may see and answer a provider's leads (商机):

- a provider (or its region's bureau) sees the needs of enterprises that opted in
  (Enterprise.findable_by_providers) or share an event with it that they registered for
  themselves (or consented to); budgets only if the enterprise shares them (share_budget);
- only the provider itself answers its leads (contacted / not relevant);
- who contacted whom is the bureau's to read.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, select

from catalog.access import active, in_regions, own_provider
from catalog.enterprises.models import Enterprise
from catalog.errors import Forbidden
from catalog.events.models import EventParticipant
from catalog.providers.models import Provider
from catalog.users.models import Role, User


def can_view_leads(user: User | None, provider: Provider) -> bool:
    """The provider itself or its region's bureau may see the provider's leads."""
    return active(user) and (own_provider(user, provider.id) or in_regions(user, provider.region))


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
    return active(user) and own_provider(user, provider.id)


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
