"""The permission-matrix cells of the events routes (market/events/api.py, exports_api.py).

test_permission_matrix.py merges these into the table of access_expected.py; the
events routes need an event the test pilot does not have, so each probe's `setup` makes a
fresh one in 九江 (约见中, 已排程 rows included): the enterprise ent_sharing and the provider
provider_a take part, the enterprise asked the provider for a meeting, and it is placed.
Roles: see access_expected.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from access_expected import LOGGED_IN, Case, rule

from catalog.events.models import (
    Event,
    EventParticipant,
    EventStatus,
    Meeting,
    MeetingRequest,
    RequestStatus,
)

REGION = "江西省九江市"
SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 4}]


def _event_setup(status: str, enterprise: str = "member_sharing",
                 provider_asks: bool = False) -> Callable[[Any, dict[str, int]], dict[str, Any]]:
    def setup(session: Any, ids: dict[str, int]) -> dict[str, Any]:
        event = Event(title="矩阵测试对接活动", region=REGION, sessions=SESSIONS, tables=4, status=status)
        session.add(event)
        session.flush()
        ent = EventParticipant(event_id=int(event.id or 0), side="enterprise", enterprise_id=ids[enterprise],
                               sessions=[0], validated=True)
        pro = EventParticipant(event_id=int(event.id or 0), side="provider", provider_id=ids["provider_a"],
                               sessions=[0], validated=True)
        session.add_all([ent, pro])
        session.flush()
        sender, receiver = (pro, ent) if provider_asks else (ent, pro)
        request = MeetingRequest(event_id=int(event.id or 0), from_id=int(sender.id or 0), to_id=int(receiver.id or 0),
                                 status=RequestStatus.PENDING)
        session.add(request)
        session.flush()
        meeting = Meeting(event_id=int(event.id or 0), request_id=int(request.id or 0), slot=1, table_no=1, published=True)
        session.add(meeting)
        session.flush()
        return {"event_id": event.id, "p_enterprise": ent.id, "p_provider": pro.id, "participant_id": pro.id,
                "request_id": request.id, "meeting_id": meeting.id}
    return setup


OPEN = _event_setup(EventStatus.REQUESTS)
# the same, the chain leader's enterprise taking part (a chain leader is an enterprise too)
LEADER_OPEN = _event_setup(EventStatus.REQUESTS, "leader")
# the provider asked the enterprise (ent_sharing / the chain leader's) for the meeting
PROVIDER_ASKS = _event_setup(EventStatus.REQUESTS, provider_asks=True)
PROVIDER_ASKS_LEADER = _event_setup(EventStatus.REQUESTS, "leader", provider_asks=True)
DRAFT = _event_setup(EventStatus.DRAFT)
BUREAU = "B"  # the bureau of the event's region; a bureau elsewhere (X) is refused
PARTIES = "PE"  # the two registered participants (the chain leader C is not registered)
LEADER_PARTIES = "PC"  # the two registered participants of LEADER_OPEN


def _enterprise_side(setup: Callable[[Any, dict[str, int]], dict[str, Any]]) -> Callable[[Any, dict[str, int]], dict[str, Any]]:
    """`setup`, its {participant_id} the enterprise's registration rather than the provider's."""
    def wrapped(session: Any, ids: dict[str, int]) -> dict[str, Any]:
        params = setup(session, ids)
        return {**params, "participant_id": params["p_enterprise"]}
    return wrapped


def _one(allow: str, **kw: Any) -> list[Case]:
    return rule(allow, setup=OPEN, **kw)


def _both(allow: str, **kw: Any) -> list[Case]:
    """The probe at OPEN (its parties PE) and at LEADER_OPEN (its parties PC)."""
    return [*rule(allow, setup=OPEN, **kw),
            *rule(allow.replace(PARTIES, LEADER_PARTIES), setup=LEADER_OPEN, **kw)]


EVENT_RULES: dict[tuple[str, str], list[Case]] = {
    ("POST", "/api/events"): rule(BUREAU, body={"title": "矩阵测试活动", "region": REGION}),
    ("GET", "/api/events"): rule(LOGGED_IN),
    ("GET", "/api/events/{event_id}"): [*_one(LOGGED_IN), *rule(BUREAU, setup=DRAFT)],
    ("PATCH", "/api/events/{event_id}"): _one(BUREAU, body={"place": "九江市会展中心"}),
    ("POST", "/api/events/{event_id}/status"): _one(BUREAU, body={"status": "约见中"}),
    ("POST", "/api/events/{event_id}/participants"): [
        *_one("BE", body={"enterprise_id": "@member_sharing"}), *_one("BC", body={"enterprise_id": "@leader"}),
        *_one("BP", body={"provider_id": "@provider_a"})],  # a provider registers itself too
    ("GET", "/api/events/{event_id}/participants"): _one(LOGGED_IN),
    ("POST", "/api/events/{event_id}/participants/{participant_id}/validate"): _one(BUREAU, body={}),
    ("POST", "/api/events/{event_id}/participants/{participant_id}/consent"): [  # each party for itself
        *_one("P"), *rule("E", setup=_enterprise_side(OPEN)), *rule("C", setup=_enterprise_side(LEADER_OPEN))],
    ("POST", "/api/events/{event_id}/participants/import"): _one(BUREAU, upload=True),
    ("POST", "/api/events/{event_id}/requests"): [
        *_both(PARTIES, body={"to_id": "@p_provider"}),
        # as the enterprise's participant: the bureau for it, the enterprise itself, not the provider
        *rule("BE", setup=OPEN, body={"from_id": "@p_enterprise", "to_id": "@p_provider"}),
        *rule("BC", setup=LEADER_OPEN, body={"from_id": "@p_enterprise", "to_id": "@p_provider"}),
    ],
    ("GET", "/api/events/{event_id}/requests"): _both("B" + PARTIES),
    ("POST", "/api/events/{event_id}/requests/{request_id}/respond"): [  # the one asked, and the bureau
        *_one("BP", body={"accept": True}), *rule("BE", setup=PROVIDER_ASKS, body={"accept": True}),
        *rule("BC", setup=PROVIDER_ASKS_LEADER, body={"accept": True})],
    ("POST", "/api/events/{event_id}/requests/{request_id}/withdraw"): [  # the sender, and the bureau
        *_one("BE"), *rule("BP", setup=PROVIDER_ASKS), *rule("BC", setup=LEADER_OPEN)],
    ("POST", "/api/events/{event_id}/schedule"): _one(BUREAU, body={"time_limit_s": 1}),
    ("GET", "/api/events/{event_id}/meetings"): _both("B" + PARTIES),
    ("GET", "/api/events/{event_id}/meetings/options"): _one(BUREAU, query={"request_id": "@request_id"}),
    ("POST", "/api/events/{event_id}/meetings/check"): _one(
        BUREAU, body={"request_id": "@request_id", "slot": 2, "table": 2}),
    ("POST", "/api/events/{event_id}/meetings/move"): _one(
        BUREAU, body={"request_id": "@request_id", "slot": 2, "table": 2}),
    ("POST", "/api/events/{event_id}/meetings/swap"): _one(
        BUREAU, body={"first_id": "@meeting_id", "second_id": "@meeting_id"}),
    ("POST", "/api/events/{event_id}/meetings/{meeting_id}/unschedule"): _one(BUREAU, body={}),
    ("POST", "/api/events/{event_id}/publish"): _one(BUREAU),
    ("POST", "/api/events/{event_id}/meetings/{meeting_id}/outcome"): _both(
        "B" + PARTIES, body={"outcome": "有意向", "side": "enterprise"}),
    ("GET", "/api/events/{event_id}/agenda"): [  # another's: the bureau only
        *_both(PARTIES), *_both("BP", query={"participant_id": "@p_provider"})],
    ("GET", "/api/events/{event_id}/agenda.ics"): [  # another's: the bureau only
        *_both(PARTIES), *_both("BP", query={"participant_id": "@p_provider"})],
    ("GET", "/api/events/{event_id}/reminders"): _one(BUREAU),
    ("GET", "/api/events/{event_id}/schedule.xlsx"): _one(BUREAU),
    ("GET", "/api/events/{event_id}/report"): _one(BUREAU),
    ("GET", "/api/events/{event_id}/proposals"): [  # another's: the bureau only
        *_both(PARTIES), *_both("BP", query={"participant_id": "@p_provider"})],
}
