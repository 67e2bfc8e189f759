"""The demo cities' 供需对接 events: two held in the past (registrations, requests, a
schedule, no-shows and outcomes, which open engagements) and one open for registration.

Each event goes through the event services step by step: 草稿 → 报名中 → 约见中 → 已排程 → 已结束.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from catalog.engagements.models import Engagement, EngagementStatus
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import MarketError
from catalog.events import meetings as event_meetings
from catalog.events import service as events
from catalog.events.models import (
    Event,
    EventCreate,
    EventParticipant,
    EventStatus,
    Meeting,
    MeetingRequest,
    Outcome,
    ParticipantCreate,
    Preference,
    SessionSpec,
    Side,
)
from catalog.solutions.models import Solution
from matching.schedule.inputs import planner
from seed.history_base import (
    City,
    backdate,
    city_enterprises,
    fitting,
    needs_of,
    offerings,
    showcase_firms,
)

FIRMS_PER_EVENT = 10
PROVIDERS_PER_EVENT = 6
SESSIONS = [SessionSpec(name="上午", start="09:00", slot_minutes=20, slots=6, break_after=[3], break_minutes=10),
            SessionSpec(name="下午", start="14:00", slot_minutes=20, slots=6)]


@dataclass
class Held:
    """What a city's events left behind: counts, and the engagements their meetings opened."""

    events: int = 0
    meetings: int = 0
    # (engagement, the day it began, "签约" when the pair signed soon after the event)
    engagements: list[tuple[Engagement, date, str | None]] = field(default_factory=list)
    signings: list[Meeting] = field(default_factory=list)


def new_event(session: Session, city: City, title: str, day: date) -> Event:
    data = EventCreate(title=title, region=city.region, place=city.place, day=day, sessions=SESSIONS, tables=6)
    event = events.create_event(session=session, data=data, user=None, actor=city.bureau)
    event.created_at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC) - timedelta(days=35)
    events.change_event_status(session=session, event=event, status=EventStatus.REGISTRATION, actor=city.bureau)
    return event


def attendees(session: Session, rng: random.Random, city: City,
              firms: int) -> tuple[list[Enterprise], dict[int, list[Solution]]]:
    """Enterprises with needs, and the providers (with their solutions) that fit them best."""
    shown = [f for f in showcase_firms(session, city) if needs_of(session, f)]
    others = [f for f in city_enterprises(session, city) if needs_of(session, f) and f not in shown]
    picked = rng.sample(others, max(0, min(firms - len(shown), len(others))))
    chosen = sorted([*shown, *picked], key=lambda f: f.id or 0)
    pool = offerings(session, city)
    solutions = [s for s, _ in pool]
    fit: dict[int, int] = defaultdict(int)
    for firm in chosen:
        for need in needs_of(session, firm):
            for solution in fitting(need, firm, solutions)[:8]:
                fit[solution.provider_id] += 1
    ranked = sorted(fit, key=lambda pid: (-fit[pid], rng.random()))[:PROVIDERS_PER_EVENT]
    offers: dict[int, list[Solution]] = {pid: [s for s, _ in pool if s.provider_id == pid][:4] for pid in ranked}
    return chosen, offers


def register_all(session: Session, event: Event, city: City, firms: list[Enterprise],
                 offers: dict[int, list[Solution]], validate: bool = True) -> dict[int, EventParticipant]:
    """The bureau registers and confirms every attendee, and each confirms its participation;
    participants by enterprise id and by -provider id."""
    people: dict[int, EventParticipant] = {}
    for firm in firms:
        data = ParticipantCreate(enterprise_id=firm.id, need_ids=[n.id or 0 for n in needs_of(session, firm)])
        people[firm.id or 0] = events.register(session=session, event=event, data=data, actor=city.bureau,
                                               by_bureau=True)
    for provider_id, solutions in offers.items():
        data = ParticipantCreate(provider_id=provider_id, solution_ids=[s.id or 0 for s in solutions])
        people[-provider_id] = events.register(session=session, event=event, data=data, actor=city.bureau,
                                               by_bureau=True)
    if validate:
        for person in people.values():
            events.validate_participant(session=session, event=event, participant_id=person.id or 0,
                                        actor=city.bureau)
            events.consent(session=session, participant=person, actor="seed")
    return people


def ask(session: Session, rng: random.Random, event: Event, firm: Enterprise,
        people: dict[int, EventParticipant], offers: dict[int, list[Solution]]) -> list[MeetingRequest]:
    """The enterprise asks up to three providers whose offerings fit one of its needs."""
    pool = [s for solutions in offers.values() for s in solutions]
    asked: list[MeetingRequest | None] = []
    seen: set[int] = set()
    for need in needs_of(session, firm):
        for solution in fitting(need, firm, pool)[:2]:
            if solution.provider_id in seen or len(seen) >= 3:
                continue
            seen.add(solution.provider_id)
            asked.append(send(session, rng, event, people[firm.id or 0], people[-solution.provider_id],
                              need, solution))
    return [r for r in asked if r is not None]


def send(session: Session, rng: random.Random, event: Event, sender: EventParticipant,
         receiver: EventParticipant, need: Need, solution: Solution) -> MeetingRequest | None:
    preference = Preference.MUST if rng.random() < 0.3 else Preference.WISH
    reason = f"需求“{need.text[:24]}”与“{solution.name}”的场景相符" if need.scenario else f"可能适合：{solution.name}"
    score = round(rng.uniform(0.55, 0.95), 2)  # the demo's stand-in for the matcher's score
    try:
        return events.send_request(session=session, event=event, sender=sender, receiver=receiver,
                                   actor="seed", preference=preference, match_score=lambda *_: score,
                                   reason=reason, solution_id=solution.id, need_id=need.id)
    except MarketError:  # a full dance card: the request is not made
        return None


def answer(session: Session, rng: random.Random, requests: list[MeetingRequest]) -> None:
    """Providers accept most requests and decline some."""
    for request in requests:
        try:
            events.respond_request(session=session, request=request, accept=rng.random() < 0.86, actor="seed")
        except MarketError:
            events.respond_request(session=session, request=request, accept=False, actor="seed")


def outcome_of(session: Session, rng: random.Random, meeting: Meeting, held: Held, day: date) -> None:
    """Each side's outcome: no-shows, no interest, intentions (an engagement) and signings."""
    draw = rng.random()
    if draw < 0.12:  # the enterprise did not come: the provider records it
        event_meetings.record_outcome(session=session, meeting=meeting, side=Side.PROVIDER,
                                      outcome=Outcome.NO_SHOW, actor="seed", comment="企业代表未到场")
        return
    if draw < 0.42:
        for side in Side:
            event_meetings.record_outcome(session=session, meeting=meeting, side=side,
                                          outcome=Outcome.NO_INTEREST, actor="seed")
        return
    event_meetings.record_outcome(session=session, meeting=meeting, side=Side.ENTERPRISE, outcome=Outcome.INTENT,
                                  actor="seed", comment="希望安排现场调研后报价")
    event_meetings.record_outcome(session=session, meeting=meeting, side=Side.PROVIDER, outcome=Outcome.INTENT,
                                  actor="seed")
    engagement = session.get(Engagement, meeting.engagement_id) if meeting.engagement_id else None
    if engagement is None or any(g.id == engagement.id for g, _, _ in held.engagements):
        return
    signed_soon = draw > 0.82
    held.engagements.append((backdate(session, engagement, day), day, EngagementStatus.SIGNED if signed_soon
                             else None))
    if signed_soon:
        held.signings.append(meeting)


def hold_event(session: Session, rng: random.Random, city: City, title: str, day: date, held: Held) -> None:
    """A past event, from registration to its outcomes, then closed."""
    event = new_event(session, city, title, day)
    firms, offers = attendees(session, rng, city, FIRMS_PER_EVENT)
    people = register_all(session, event, city, firms, offers)
    events.change_event_status(session=session, event=event, status=EventStatus.REQUESTS, actor=city.bureau)
    requests = [r for firm in firms for r in ask(session, rng, event, firm, people, offers)]
    answer(session, rng, requests)
    event_meetings.run_schedule(session=session, event=event, actor=city.bureau, plan=planner(exact=False))
    events.publish_schedule(session=session, event=event, actor=city.bureau)
    meetings = event_meetings.meetings(session=session, event_id=event.id or 0)
    for meeting in meetings:
        outcome_of(session, rng, meeting, held, day)
    events.change_event_status(session=session, event=event, status=EventStatus.CLOSED, actor=city.bureau)
    held.events += 1
    held.meetings += len(meetings)


def open_event(session: Session, rng: random.Random, city: City, today: date, held: Held) -> None:
    """The next event, open for registration: some attendees registered, most confirmed by the
    bureau, fewer by themselves so far."""
    event = new_event(session, city, f"{city.name}“链式转型”专场供需对接会", today + timedelta(days=24))
    firms, offers = attendees(session, rng, city, 5)
    people = register_all(session, event, city, firms, offers, validate=False)
    for person in list(people.values())[:-2]:
        events.validate_participant(session=session, event=event, participant_id=person.id or 0,
                                    actor=city.bureau)
    for person in list(people.values())[:-3]:
        events.consent(session=session, participant=person, actor="seed")
    held.events += 1


def city_events(*, session: Session, rng: random.Random, city: City, today: date) -> Held:
    """A city's two past events and its next one."""
    held = Held()
    first = today - timedelta(days=rng.randint(390, 430))
    second = today - timedelta(days=rng.randint(100, 130))
    hold_event(session, rng, city, f"{city.full_name}中小企业数字化转型供需对接会（第一期）", first, held)
    hold_event(session, rng, city, f"{city.full_name}中小企业数字化转型供需对接会（第二期·重点行业）", second, held)
    open_event(session, rng, city, today, held)
    return held


def record_signings(*, session: Session, held: Held) -> None:
    """Meetings whose pair signed soon after the event: the enterprise records 已签约."""
    for meeting in held.signings:
        engagement = session.get(Engagement, meeting.engagement_id) if meeting.engagement_id else None
        if engagement is not None and engagement.contract_date is not None:
            event_meetings.record_outcome(session=session, meeting=meeting, side=Side.ENTERPRISE,
                                          outcome=Outcome.SIGNED, actor="seed", comment="会后已签订合同")
