"""Proposed counterparts at an event, from the match scores (matching.scoring), with reasons.

For an enterprise: the providers at the event, each scored by its best solution against the
enterprise's needs; for a provider: the enterprises, scored the same way over only the needs
the provider may see (catalog.events.permissions.participant_sees_need: those an enterprise
brought to the event and consented to show), so no proposal names, cites or scores a need its
reader may not see. Only published offerings of published providers are proposed
(catalog.solutions.permissions.visible_solutions).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from catalog.enterprises.models import Enterprise, Need
from catalog.enterprises.queries import NEED_ORDER
from catalog.events import permissions as event_rules
from catalog.events import service as event_service
from catalog.events.meetings import participant_name
from catalog.events.models import Event, EventParticipant, RequestStatus, Side
from catalog.events.service import PairScore
from catalog.providers.models import Provider
from catalog.solutions import permissions as solution_rules
from catalog.solutions.models import Solution
from market.matching.context import enterprise_record, need_record, provider_record, solution_record
from matching.components import serves_enterprise
from matching.context import MatchContext
from matching.scoring import ScoredMatch, score


@dataclass(frozen=True)
class Proposal:
    participant_id: int
    name: str
    score: float | None
    reason: str
    solution_id: int | None
    need_id: int | None
    requested: bool


def _solutions(session: Session, person: EventParticipant) -> list[Solution]:
    """The offerings a provider brings that may be proposed: published ones of a published provider."""
    query = solution_rules.visible_solutions(None, select(Solution)).where(Solution.provider_id == person.provider_id)
    rows = list(session.exec(query.order_by(col(Solution.id))))
    chosen = set(person.solution_ids)
    return [s for s in rows if s.id in chosen] if chosen else rows


def _needs(session: Session, firm: EventParticipant, viewer: EventParticipant) -> list[Need]:
    """The needs of `firm` a proposal for `viewer` compares: those it brought (every one when it
    brought none), of them only the ones `viewer` may see."""
    query = select(Need).where(Need.enterprise_id == firm.enterprise_id)
    rows = list(session.exec(query.order_by(*NEED_ORDER)))
    chosen = set(firm.need_ids)
    brought = [n for n in rows if n.id in chosen] if chosen else rows
    return [n for n in brought if event_rules.participant_sees_need(viewer, firm, n.id or 0)]


def _best(session: Session, firm: EventParticipant, seller: EventParticipant, viewer: EventParticipant,
          ctx: MatchContext) -> tuple[ScoredMatch | None, Need | None, Solution | None]:
    enterprise = session.get(Enterprise, firm.enterprise_id)
    provider = session.get(Provider, seller.provider_id)
    if enterprise is None or provider is None:
        return None, None, None
    best: tuple[ScoredMatch | None, Need | None, Solution | None] = (None, None, None)
    record = provider_record(provider, {})
    if not serves_enterprise(record, enterprise_record(enterprise)):  # it cannot serve them: no meeting
        return best
    for need in _needs(session, firm, viewer):
        for solution in _solutions(session, seller):
            match = score(need_record(need, with_budget=enterprise.share_budget),
                          enterprise_record(enterprise, with_budget=enterprise.share_budget),
                          solution_record(solution), record, ctx)
            if best[0] is None or match.total > best[0].total:
                best = (match, need, solution)
    return best


def _no_match(session: Session, firm: EventParticipant, seller: EventParticipant, viewer: EventParticipant) -> str:
    enterprise = session.get(Enterprise, firm.enterprise_id)
    provider = session.get(Provider, seller.provider_id)
    if enterprise is not None and provider is not None and not serves_enterprise(
            provider_record(provider, {}), enterprise_record(enterprise)):
        return "服务商的服务区域不含该企业所在地区"
    if viewer.id != firm.id and not _needs(session, firm, viewer):
        return "该企业尚未向服务商展示需求（企业确认参会并选择带来的需求后显示）"
    return "暂无可比较的需求或产品"


def _reason(match: ScoredMatch, need: Need, solution: Solution) -> str:
    parts = sorted(match.components, key=lambda c: -c.value * c.weight)[:2]
    why = "；".join(c.reason_zh for c in parts if c.reason_zh)
    return f"需求“{need.text[:24]}” ↔ {solution.name}：{why}"


def _others(session: Session, event: Event, participant: EventParticipant) -> list[EventParticipant]:
    """The validated participants of the other side: whom `participant` may meet."""
    return [p for p in event_service.participants(session=session, event_id=event.id or 0)
            if p.validated and p.side != participant.side]


def _context(session: Session, participant: EventParticipant, others: list[EventParticipant]) -> MatchContext:
    """The matcher's view of the offerings a participant's proposals compare: every provider's
    at the event for an enterprise, its own for a provider."""
    sellers = others if participant.side == Side.ENTERPRISE else [participant]
    solutions = [s for seller in sellers for s in _solutions(session, seller)]
    providers = {str(p.id): provider_record(p, {}) for p in session.exec(
        select(Provider).where(col(Provider.id).in_([s.provider_id for s in solutions])))}
    return MatchContext([solution_record(s) for s in solutions], providers)


def _proposal(session: Session, participant: EventParticipant, other: EventParticipant,
              ctx: MatchContext, asked: set[int]) -> Proposal:
    firm, seller = (participant, other) if participant.side == Side.ENTERPRISE else (other, participant)
    match, need, solution = _best(session, firm, seller, participant, ctx)
    if match is None or need is None or solution is None:
        return Proposal(other.id or 0, participant_name(session, other), None,
                        _no_match(session, firm, seller, participant), None, None, other.id in asked)
    return Proposal(other.id or 0, participant_name(session, other), round(match.total, 4),
                    _reason(match, need, solution), solution.id, need.id, other.id in asked)


def proposals(*, session: Session, event: Event, participant: EventParticipant,
              limit: int = 10) -> list[Proposal]:
    """The best counterparts for a participant, highest match score first."""
    others = _others(session, event, participant)
    ctx = _context(session, participant, others)
    asked = _asked(session, event, participant)
    out = [_proposal(session, participant, other, ctx, asked) for other in others]
    out.sort(key=lambda p: (p.score is None, -(p.score or 0), p.participant_id))
    return out[:limit]


def pair_scorer(*, session: Session, event: Event) -> PairScore:
    """The score a request between two participants of `event` is stored with (and weighed by
    when the schedule is built): the match score the sender's proposals give the receiver."""
    def score_of(sender: EventParticipant, receiver: EventParticipant) -> float | None:
        ctx = _context(session, sender, _others(session, event, sender))
        return _proposal(session, sender, receiver, ctx, set()).score
    return score_of


def _asked(session: Session, event: Event, participant: EventParticipant) -> set[int]:
    live = (RequestStatus.PENDING.value, RequestStatus.ACCEPTED.value)
    return {r.to_id if r.from_id == participant.id else r.from_id
            for r in event_service.requests_of(session=session, event_id=event.id or 0,
                                               participant_id=participant.id)
            if r.status in live}
