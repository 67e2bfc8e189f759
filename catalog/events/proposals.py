"""Proposed counterparts at an event, with reasons, and the score a request between two
participants is stored with (and weighed by when the schedule is built).

A participant may meet the validated participants of the event's other side (`counterparts`).
For an enterprise: the providers at the event, each scored by its best offering against the
enterprise's needs; for a provider: the enterprises, scored the same way over only the needs
the provider may see (catalog.events.permissions.participant_sees_need: those an enterprise
brought to the event and consented to show), so no proposal names, cites or scores a need its
reader may not see. An enterprise's needs compared are those it brought (every one when it
brought none); a provider's offerings those it brought (every one when it brought none), of
them only the published ones of a published provider (catalog.solutions.permissions.visible_solutions).
A provider whose service regions do not hold the enterprise's location is proposed without a
score (catalog.regions.serves): it cannot serve them.

The score is the matcher's: catalog imports no `matching`, so the caller hands in a `Matcher`
(market.events.proposals.matcher), as catalog.events.meetings.run_schedule is handed its planner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from catalog import regions
from catalog.enterprises.models import Enterprise, Need
from catalog.enterprises.queries import NEED_ORDER
from catalog.events import permissions as event_rules
from catalog.events.meetings import participant_name
from catalog.events.models import Event, EventParticipant, Side
from catalog.events.service import LIVE, PairScore, participants, requests_of
from catalog.providers.models import Provider
from catalog.solutions import permissions as solution_rules
from catalog.solutions.models import Solution

PROPOSAL_LIMIT = 10
"""How many counterparts a participant is proposed when it asks for no number."""
PROPOSAL_LIMIT_MAX = 100
"""The most counterparts one list of proposals may hold."""


@dataclass(frozen=True)
class Proposal:
    participant_id: int
    name: str
    score: float | None
    reason: str
    solution_id: int | None
    need_id: int | None
    requested: bool


@dataclass(frozen=True)
class PairMatch:
    """The matcher's verdict on one need against one offering: its score (0…1) and why (in Chinese)."""

    score: float
    why: str


PairMatcher = Callable[[Need, Enterprise, Solution, Provider], PairMatch]
"""The matcher's score of one need (of its enterprise) against one offering (of its provider)."""

Matcher = Callable[[list[Solution], list[Provider]], PairMatcher]
"""The matcher set up over the offerings a participant's proposals compare (and their providers:
how common a word is among those offerings weighs it): its pair scorer."""


def counterparts(*, session: Session, event: Event, participant: EventParticipant) -> list[EventParticipant]:
    """Whom `participant` may meet: the validated participants of the other side."""
    return [p for p in participants(session=session, event_id=event.id or 0)
            if p.validated and p.side != participant.side]


def brought_offerings(*, session: Session, seller: EventParticipant) -> list[Solution]:
    """The offerings a provider brings that may be proposed: those it chose (every one when it
    chose none), of them the published ones of a published provider."""
    query = solution_rules.visible_solutions(None, select(Solution)).where(Solution.provider_id == seller.provider_id)
    rows = list(session.exec(query.order_by(col(Solution.id))))
    chosen = set(seller.solution_ids)
    return [s for s in rows if s.id in chosen] if chosen else rows


def compared_needs(*, session: Session, firm: EventParticipant, viewer: EventParticipant) -> list[Need]:
    """The needs of `firm` a proposal for `viewer` compares: those it brought (every one when it
    brought none), of them only the ones `viewer` may see."""
    query = select(Need).where(Need.enterprise_id == firm.enterprise_id)
    rows = list(session.exec(query.order_by(*NEED_ORDER)))
    chosen = set(firm.need_ids)
    brought = [n for n in rows if n.id in chosen] if chosen else rows
    return [n for n in brought if event_rules.participant_sees_need(viewer, firm, n.id or 0)]


def serves(provider: Provider, enterprise: Enterprise) -> bool:
    """May the provider serve the enterprise at all (its service regions hold its location)?"""
    return regions.serves(provider.service_regions, enterprise.region)


def _pair_matcher(session: Session, participant: EventParticipant, others: list[EventParticipant],
                  matcher: Matcher) -> PairMatcher:
    """The matcher over the offerings a participant's proposals compare: every provider's at
    the event for an enterprise, its own for a provider."""
    sellers = others if participant.side == Side.ENTERPRISE else [participant]
    solutions = [s for seller in sellers for s in brought_offerings(session=session, seller=seller)]
    providers = list(session.exec(select(Provider).where(col(Provider.id).in_({s.provider_id for s in solutions}))))
    return matcher(solutions, providers)


Best = tuple[PairMatch, Need, Solution]


def _best(session: Session, firm: EventParticipant, seller: EventParticipant, viewer: EventParticipant,
          pair: PairMatcher) -> Best | None:
    """The best-scored (need, offering) of the pair, None when there is nothing to compare or
    the provider cannot serve the enterprise."""
    enterprise = session.get(Enterprise, firm.enterprise_id)
    provider = session.get(Provider, seller.provider_id)
    if enterprise is None or provider is None or not serves(provider, enterprise):
        return None
    best: Best | None = None
    offerings = brought_offerings(session=session, seller=seller)
    for need in compared_needs(session=session, firm=firm, viewer=viewer):
        for solution in offerings:
            match = pair(need, enterprise, solution, provider)
            if best is None or match.score > best[0].score:
                best = (match, need, solution)
    return best


def _no_match(session: Session, firm: EventParticipant, seller: EventParticipant, viewer: EventParticipant) -> str:
    enterprise = session.get(Enterprise, firm.enterprise_id)
    provider = session.get(Provider, seller.provider_id)
    if enterprise is not None and provider is not None and not serves(provider, enterprise):
        return "服务商的服务区域不含该企业所在地区"
    if viewer.id != firm.id and not compared_needs(session=session, firm=firm, viewer=viewer):
        return "该企业尚未向服务商展示需求（企业确认参会并选择带来的需求后显示）"
    return "暂无可比较的需求或产品"


def _proposal(session: Session, participant: EventParticipant, other: EventParticipant,
              pair: PairMatcher, asked: set[int]) -> Proposal:
    firm, seller = (participant, other) if participant.side == Side.ENTERPRISE else (other, participant)
    best = _best(session, firm, seller, participant, pair)
    name, requested = participant_name(session, other), other.id in asked
    if best is None:
        return Proposal(other.id or 0, name, None, _no_match(session, firm, seller, participant),
                        None, None, requested)
    match, need, solution = best
    return Proposal(other.id or 0, name, round(match.score, 4),
                    f"需求“{need.text[:24]}” ↔ {solution.name}：{match.why}", solution.id, need.id, requested)


def proposals(*, session: Session, event: Event, participant: EventParticipant, matcher: Matcher,
              limit: int = PROPOSAL_LIMIT) -> list[Proposal]:
    """The best counterparts for a participant, highest match score first (those with none last)."""
    others = counterparts(session=session, event=event, participant=participant)
    pair = _pair_matcher(session, participant, others, matcher)
    asked = _asked(session, event, participant)
    out = [_proposal(session, participant, other, pair, asked) for other in others]
    out.sort(key=lambda p: (p.score is None, -(p.score or 0), p.participant_id))
    return out[:limit]


def pair_score(*, session: Session, event: Event, matcher: Matcher) -> PairScore:
    """The score a request between two participants of `event` is stored with (and weighed by
    when the schedule is built): the match score the sender's proposals give the receiver."""
    def score_of(sender: EventParticipant, receiver: EventParticipant) -> float | None:
        others = counterparts(session=session, event=event, participant=sender)
        return _proposal(session, sender, receiver, _pair_matcher(session, sender, others, matcher), set()).score
    return score_of


def _asked(session: Session, event: Event, participant: EventParticipant) -> set[int]:
    """The counterparts `participant` has a live request with (sent or received)."""
    return {r.to_id if r.from_id == participant.id else r.from_id
            for r in requests_of(session=session, event_id=event.id or 0, participant_id=participant.id)
            if r.status in LIVE}
