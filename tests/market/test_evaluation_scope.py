"""A city judges its providers by what its own enterprises said of their meetings: the event
component of a provider's evaluation (catalog/progress/evaluations.py) counts the outcomes
recorded by enterprises of that city only, as its engagement components count that city's
engagements."""

from __future__ import annotations

from event_builders import build_event
from sqlmodel import Session, col, select
from web_builders import JIUJIANG, XINXIANG

from catalog.enterprises.models import Enterprise
from catalog.events.models import EventParticipant, Meeting, MeetingRequest, Outcome, RequestStatus
from catalog.progress import evaluations
from matching.evaluation import ranked, smoothed


def _held(session: Session, request: MeetingRequest, slot: int, outcome: str) -> None:
    session.add(Meeting(event_id=request.event_id, request_id=request.id or 0, slot=slot, table_no=1,
                        published=True, enterprise_outcome=outcome))


def test_only_the_citys_enterprises_outcomes_count(session: Session) -> None:
    event = build_event(session, seed=7, firms=6, sellers=2)
    accepted = session.exec(select(MeetingRequest).where(MeetingRequest.event_id == event.id,
                                                         MeetingRequest.status == RequestStatus.ACCEPTED)
                            .order_by(col(MeetingRequest.id))).all()
    people = {p.id: p for p in session.exec(select(EventParticipant).where(EventParticipant.event_id == event.id))}
    seller = people[accepted[0].to_id].provider_id
    theirs = [r for r in accepted if people[r.to_id].provider_id == seller]
    here, elsewhere = theirs[0], next(r for r in theirs if people[r.from_id].enterprise_id
                                      != people[theirs[0].from_id].enterprise_id)
    _held(session, here, 1, Outcome.INTENT.value)
    _held(session, elsewhere, 2, Outcome.NO_INTEREST.value)
    moved = session.get(Enterprise, people[elsewhere.from_id].enterprise_id)
    assert moved is not None
    moved.region = f"{XINXIANG}红旗区"
    session.add(moved)
    session.flush()
    found = {p.id: e for p, e in evaluations.provider_evaluations(session=session, region=JIUJIANG, evaluate=ranked)}
    events = next(c for c in found[seller].components if c.key == "events")
    assert events.value == smoothed(1, 1, 0.5)  # the 九江 firm's 有意向 only, not the 新乡 firm's 无合作意向
