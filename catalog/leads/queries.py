"""The needs a provider's leads are drawn from (catalog.leads.permissions): every front door
that lists or answers leads reads them here; whether a need fits well enough to be a lead is
the matcher's score, which market hands to `permissions.is_lead`."""

from __future__ import annotations

from sqlmodel import Session, col, select

from catalog.enterprises.models import Enterprise, Need
from catalog.events import permissions as event_rules
from catalog.events.models import EventParticipant
from catalog.leads import permissions as lead_rules


def shared_at_events(*, session: Session, provider_id: int) -> set[int]:
    """The needs enterprises show the provider at the events it is registered for
    (catalog.events.permissions.participant_sees_need)."""
    mine = {p.event_id: p for p in session.exec(
        select(EventParticipant).where(col(EventParticipant.provider_id) == provider_id))}
    firms = session.exec(select(EventParticipant).where(
        col(EventParticipant.event_id).in_(list(mine)), col(EventParticipant.enterprise_id).is_not(None)))
    return {need_id for firm in firms for need_id in firm.need_ids
            if event_rules.participant_sees_need(mine[firm.event_id], firm, need_id)}


def lead_needs(*, session: Session, provider_id: int, need_id: int | None = None) -> list[tuple[Need, Enterprise]]:
    """The needs the provider may be shown as leads (`permissions.lead_needs`), with their
    enterprises, by need id; with `need_id`, that need only (none when it may not be shown)."""
    shared = shared_at_events(session=session, provider_id=provider_id)
    statement = (select(Need, Enterprise).join(Enterprise, col(Need.enterprise_id) == Enterprise.id)
                 .where(lead_rules.lead_needs(shared)))
    if need_id is not None:
        statement = statement.where(col(Need.id) == need_id)
    return [(need, enterprise) for need, enterprise in session.exec(statement.order_by(col(Need.id)))]
