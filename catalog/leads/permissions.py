"""Who may see and answer a provider's leads (商机):

- a provider (or its region's bureau) sees every need of an enterprise that opted in
  (Enterprise.findable_by_providers), and the needs an enterprise shows it at an event they
  share (brought there, registered itself or consented: catalog.events.permissions); of those,
  a need is a lead when the provider's best offering scores at least the matcher's gap line
  (`is_lead`); budgets only if the enterprise shares them (share_budget);
- only the provider itself answers its leads (contacted / not relevant);
- who contacted whom is the bureau's to read.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, or_
from sqlmodel import col

from catalog.access import active, in_regions, own_provider
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import Forbidden
from catalog.providers.models import Provider
from catalog.users.models import Role, User


def can_view_leads(user: User | None, provider: Provider) -> bool:
    """The provider itself or its region's bureau may see the provider's leads."""
    return active(user) and (own_provider(user, provider.id) or in_regions(user, provider.region))


def require_view_leads(user: User | None, provider: Provider) -> None:
    """Raise Forbidden unless `user` may see the provider's leads (`can_view_leads`)."""
    if not can_view_leads(user, provider):
        raise Forbidden("leads_forbidden", "只有服务商本身或所在地区的主管部门可以查看商机")


def lead_needs(shared_at_events: Collection[int]) -> ColumnElement[bool]:
    """Needs (joined with their Enterprise) that may be shown as leads to a provider: every need of
    an enterprise that opted in (findable_by_providers), and `shared_at_events`, the needs
    enterprises show it at its events (catalog.leads.queries.shared_at_events)."""
    return or_(col(Enterprise.findable_by_providers).is_(True), col(Need.id).in_(list(shared_at_events)))


def is_lead(best_score: float | None, gap_threshold: float) -> bool:
    """A need the provider may be shown is one of its leads when its best offering scores at
    least the matcher's gap line (MatchConfig.gap_threshold, below which a need is a gap in the
    catalogue); `best_score` None: no offering of it fits at all."""
    return best_score is not None and best_score >= gap_threshold


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
