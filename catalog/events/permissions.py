"""Who may see and run 供需对接 events:

- the bureau of an event's region manages it (one stored without a region: the bureau that
  made it); it holds events only in its own regions, and registers only parties of its regions
  (and published providers);
- drafts show only to that bureau, later states to every logged-in user;
- participants act only for their own enterprise / provider; the bureau managing an event acts
  for any of its participants (it answers a request or records an outcome on a party's behalf,
  as it registers and requests for one);
- the managing bureau sees every participant, their needs and both sides of each meeting;
  everyone else sees the validated participants (and its own registration, and the other party
  of each of its requests: catalog.events.queries.visible_participants), the requests it sent or
  received, and of the published meetings it takes part in only its own side's outcome;
- an enterprise's needs: the managing bureau and the enterprise itself see all of them; a
  provider at the event only those the enterprise brought to it, once the enterprise consented
  (registered itself or confirmed the bureau's registration); nobody else any. The participant
  list, the proposals and the provider's leads (catalog.leads) all read it here.
"""

from __future__ import annotations

from catalog.access import (
    active,
    bureau_regions,
    in_regions,
    is_bureau,
    own_enterprise,
    own_provider,
)
from catalog.enterprises.models import Enterprise
from catalog.errors import Forbidden
from catalog.events.models import Event, EventParticipant, EventStatus, Side
from catalog.providers.models import ListingStatus, Provider
from catalog.users.models import User


def manages_event(user: User | None, event: Event) -> bool:
    """The bureau of the event's region (an event stored without a region: the bureau that made it)."""
    if not is_bureau(user) or user is None or not user.active:
        return False
    if event.region:
        return in_regions(user, event.region)
    return bool(event.created_by) and event.created_by in (user.username, f"{user.role}:{user.username}")


def can_create_event(user: User | None) -> bool:
    """May `user` hold a new event at all: an active bureau with a region of its own (where it
    holds one: `require_event_region`, which catalog.events.service.create_event asks)."""
    return bool(bureau_regions(user))


def require_event_region(user: User | None, region: str | None) -> None:
    """Raise Forbidden unless `region` is one of the bureau's own (where it may hold an event)."""
    if not region or not in_regions(user, region):
        raise Forbidden("region_forbidden", f"只能在本辖区内举办对接活动（“{region or ''}”不在本辖区内）")


def can_enrol(user: User | None, party: Enterprise | Provider) -> bool:
    """May a bureau register `party` for an event it manages? An enterprise of its own regions; a
    provider of its regions or one published in the pool (its listing is public). The same rule
    for one registration (the API) and for every row of a participant list (catalog.events.imports)."""
    if isinstance(party, Enterprise):
        return in_regions(user, party.region)
    return in_regions(user, party.region) or party.status == ListingStatus.PUBLISHED


def enrol_refusal(user: User | None, party: Enterprise | Provider) -> str | None:
    """Why the bureau `user` may not register `party` (`can_enrol`), in Chinese; None when it may."""
    if can_enrol(user, party):
        return None
    if isinstance(party, Enterprise):
        return "该企业不在本辖区内：主管部门只能为本辖区内的企业报名（其他地区的企业请自行报名）"
    return "该服务商尚未入库且不在本辖区内：主管部门只能为本辖区内或已入库的服务商报名（其他服务商请自行报名）"


def require_enrol(user: User | None, party: Enterprise | Provider) -> None:
    """Raise Forbidden unless the bureau `user` may register `party` (`can_enrol`)."""
    reason = enrol_refusal(user, party)
    if reason is not None:
        raise Forbidden("region_forbidden", reason)


def can_view_event(user: User | None, event: Event) -> bool:
    """Drafts show only to the bureau managing the event; later states to every logged-in user."""
    if not active(user):
        return False
    return manages_event(user, event) or event.status != EventStatus.DRAFT


def own_participant(user: User | None, person: EventParticipant) -> bool:
    """The enterprise or provider user behind a participant."""
    if person.enterprise_id is not None:
        return own_enterprise(user, person.enterprise_id)
    return own_provider(user, person.provider_id)


def acts_for(user: User | None, event: Event, person: EventParticipant) -> bool:
    """May `user` act for participant `person` of `event`: the participant's own user, or the
    bureau managing the event on the participant's behalf."""
    return manages_event(user, event) or own_participant(user, person)


def sees_participant(user: User | None, event: Event, person: EventParticipant) -> bool:
    """The managing bureau sees every participant; anyone else the validated ones and its own."""
    return manages_event(user, event) or person.validated or own_participant(user, person)


def shows_needs_to(person: EventParticipant, viewer: EventParticipant) -> bool:
    """Does participant `person` show the needs it brings to participant `viewer` of the same
    event: to itself always; an enterprise to the providers there once it consented."""
    if person.event_id != viewer.event_id:
        return False
    if person.id == viewer.id:
        return True
    return person.enterprise_id is not None and person.consented and viewer.side == Side.PROVIDER


def participant_sees_need(viewer: EventParticipant, firm: EventParticipant, need_id: int) -> bool:
    """May participant `viewer` see need `need_id` of the enterprise behind participant `firm`
    (the same event): the enterprise any of its own; a provider one the enterprise brought to the
    event and shows it (`shows_needs_to`)."""
    if firm.enterprise_id is None or firm.event_id != viewer.event_id:
        return False
    if viewer.enterprise_id == firm.enterprise_id:
        return True
    return need_id in firm.need_ids and shows_needs_to(firm, viewer)


def sees_needs(user: User | None, event: Event, person: EventParticipant, *,
               mine: EventParticipant | None = None) -> bool:
    """Is `user` shown the needs participant `person` brings to `event`: the managing bureau and
    the participant itself; a provider at the event (`mine`, the user's own registration there)
    those of an enterprise that consented (`shows_needs_to`)."""
    if manages_event(user, event) or own_participant(user, person):
        return True
    return mine is not None and own_participant(user, mine) and shows_needs_to(person, mine)
