"""An event's proposals are catalog's rules, whichever matcher scores them: who may meet whom
(the validated participants of the other side), which needs and offerings are compared, the
provider that cannot serve the enterprise's region, the default number; the score is the
matcher's, handed in (here a stand-in that scores every pair alike and says which it saw)."""

from __future__ import annotations

from catalog_builders import make_enterprise, make_need, provider_data, solution_data
from sqlmodel import Session

from catalog.enterprises.models import Enterprise, Need
from catalog.events import proposals as event_proposals
from catalog.events import service as event_service
from catalog.events.models import (
    Event,
    EventCreate,
    EventParticipant,
    EventStatus,
    ParticipantCreate,
)
from catalog.events.proposals import PairMatch, PairMatcher
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]


class StandIn:
    """A matcher that gives every pair 0.5 and keeps what it was set up over and asked."""

    def __init__(self) -> None:
        self.offerings: list[set[int]] = []
        self.pairs: set[tuple[int, int]] = set()

    def __call__(self, solutions: list[Solution], providers: list[Provider]) -> PairMatcher:
        self.offerings.append({s.id or 0 for s in solutions})

        def pair(need: Need, enterprise: Enterprise, solution: Solution, provider: Provider) -> PairMatch:
            self.pairs.add((need.id or 0, solution.id or 0))
            return PairMatch(0.5, "场景相符")

        return pair


def _seller(session: Session, seed: str, *codes: str, **overrides: object) -> tuple[Provider, list[Solution]]:
    provider = provider_service.create_provider(session=session, data=provider_data(seed, **overrides),
                                                actor="tester", status=ListingStatus.PUBLISHED)
    return provider, [solution_service.create_solution(session=session, actor="tester", status=ListingStatus.PUBLISHED,
                                                       data=solution_data(provider.id or 0, code)) for code in codes]


def _join(session: Session, event: Event, *, validated: bool = True, **fields: object) -> EventParticipant:
    person = event_service.register(session=session, event=event, data=ParticipantCreate.model_validate(fields),
                                    actor="报名")
    person.validated = validated
    return person


def test_proposals_follow_the_event_rules_with_the_matchers_score(session: Session) -> None:
    data = EventCreate.model_validate({"title": "对接会", "region": "江西省九江市", "sessions": SESSIONS})
    event = event_service.create_event(session=session, data=data, user=None, actor="局")
    event_service.change_event_status(session=session, event=event, status=EventStatus.REGISTRATION, actor="局")
    firm = make_enterprise(session)
    brought, left = make_need(session, firm, "质量追溯"), make_need(session, firm, "能耗监测")
    near, (chosen, _) = _seller(session, "p1", "S-1", "S-2")
    _, (far_offer,) = _seller(session, "p2", "S-3", service_regions=["河南省新乡市"])
    unchecked, _ = _seller(session, "p3", "S-4")
    me = _join(session, event, enterprise_id=firm.id, need_ids=[brought.id])
    neighbour = _join(session, event, enterprise_id=make_enterprise(session, "e2").id)
    seller = _join(session, event, provider_id=near.id, solution_ids=[chosen.id])
    distant = _join(session, event, provider_id=far_offer.provider_id)
    _join(session, event, provider_id=unchecked.id, validated=False)
    session.flush()

    matcher = StandIn()
    shown = event_proposals.proposals(session=session, event=event, participant=me, matcher=matcher)
    assert [p.participant_id for p in shown] == [seller.id, distant.id]  # validated, of the other side
    assert (shown[0].score, shown[0].need_id, shown[0].solution_id) == (0.5, brought.id, chosen.id)
    assert shown[0].reason == f"需求“质量追溯” ↔ {chosen.name}：场景相符"
    assert (shown[1].score, shown[1].reason) == (None, "服务商的服务区域不含该企业所在地区")
    assert matcher.offerings == [{chosen.id, far_offer.id}]  # what each provider brings, every one when none chosen
    assert matcher.pairs == {(brought.id, chosen.id)}  # never a need left at home, nor the far provider
    assert len(event_proposals.proposals(session=session, event=event, participant=me, matcher=matcher,
                                         limit=1)) == 1
    assert event_proposals.PROPOSAL_LIMIT == 10

    for_seller = event_proposals.proposals(session=session, event=event, participant=seller, matcher=StandIn())
    assert {p.participant_id: p.score for p in for_seller} == {me.id: 0.5, neighbour.id: None}
    assert next(p for p in for_seller if p.participant_id == neighbour.id).reason.startswith("该企业尚未向服务商展示需求")
    score = event_proposals.pair_score(session=session, event=event, matcher=StandIn())
    assert (score(me, seller), score(me, distant)) == (0.5, None)
    event_service.send_request(session=session, event=event, sender=me, receiver=seller, actor="a")
    again = event_proposals.proposals(session=session, event=event, participant=me, matcher=StandIn())
    assert [p.requested for p in again] == [True, False]
    assert left.id not in {p.need_id for p in again}
