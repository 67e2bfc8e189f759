"""Provider and solution evaluation from the records: builds the facts matching/evaluation.py
scores (engagements with the city's enterprises, event meeting outcomes)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_
from sqlmodel import Session, col, select

from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise
from catalog.events.models import EventParticipant, Meeting, MeetingRequest
from catalog.progress import policy
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from matching.evaluation import EngagementFact, Evaluation, evaluate, excellent_candidates, rank


def _facts(session: Session, region: str) -> list[tuple[Engagement, EngagementFact]]:
    rows = session.exec(select(Engagement, Solution).join(Enterprise, col(Enterprise.id) == Engagement.enterprise_id)
                        .join(Solution, col(Solution.id) == Engagement.solution_id)
                        .where(col(Enterprise.region).startswith(region, autoescape=True))
                        .order_by(col(Engagement.id))).all()
    out = []
    for engagement, solution in rows:
        actual = policy.delivery_days(engagement.contract_date, engagement.acceptance_date)
        out.append((engagement, EngagementFact(
            enterprise_id=engagement.enterprise_id, status=engagement.status, level_before=engagement.level_before,
            level_after=engagement.level_after, promised_days=solution.deploy_days, actual_days=actual,
            rating=engagement.rating, complaint=policy.is_complaint(engagement.rating, engagement.termination_reason))))
    return out


def _outcomes(session: Session, region: str) -> dict[int, list[str]]:
    """The outcomes the city's enterprises recorded of meetings held with providers, per
    provider: as the engagements counted (_facts), a city judges its providers by what its own
    enterprises said, not by meetings elsewhere."""
    provider_side = select(EventParticipant.id, EventParticipant.provider_id).where(
        col(EventParticipant.provider_id).is_not(None))
    providers: dict[int, int] = {int(a or 0): int(b or 0) for a, b in session.exec(provider_side).all()}
    city_firms = set(session.exec(select(EventParticipant.id).join(
        Enterprise, col(Enterprise.id) == EventParticipant.enterprise_id).where(
        col(Enterprise.region).startswith(region, autoescape=True))).all())
    rows = session.exec(select(Meeting.enterprise_outcome, MeetingRequest.from_id, MeetingRequest.to_id)
                        .join(MeetingRequest, col(MeetingRequest.id) == Meeting.request_id)
                        .where(col(Meeting.enterprise_outcome).is_not(None))).all()
    out: dict[int, list[str]] = defaultdict(list)
    for outcome, from_id, to_id in rows:
        if from_id not in city_firms and to_id not in city_firms:
            continue
        provider_id = providers.get(from_id) or providers.get(to_id)
        if provider_id is not None and outcome:
            out[provider_id].append(outcome)
    return out


def provider_evaluations(*, session: Session, region: str) -> list[tuple[Provider, Evaluation]]:
    """Every provider with engagements in the city or based there, scored and ranked."""
    facts = _facts(session, region)
    by_provider: dict[int, list[EngagementFact]] = defaultdict(list)
    for engagement, fact in facts:
        by_provider[engagement.provider_id].append(fact)
    outcomes = _outcomes(session, region)
    providers = session.exec(select(Provider).where(or_(
        col(Provider.id).in_(list(by_provider)), col(Provider.region).startswith(region, autoescape=True)))).all()
    named = {p.id: p for p in providers}
    ranked = rank(evaluate(p.id or 0, by_provider.get(p.id or 0, []), outcomes.get(p.id or 0, []))
                  for p in providers)
    return [(named[e.subject_id], e) for e in ranked]


def solution_evaluations(*, session: Session, region: str) -> list[tuple[Solution, Evaluation]]:
    """Solutions applied by the city's enterprises, scored and ranked."""
    by_solution: dict[int, list[EngagementFact]] = defaultdict(list)
    for engagement, fact in _facts(session, region):
        by_solution[engagement.solution_id].append(fact)
    solutions = {s.id: s for s in session.exec(select(Solution).where(col(Solution.id).in_(list(by_solution)))).all()}
    ranked = rank(evaluate(sid, items) for sid, items in by_solution.items())
    return [(solutions[e.subject_id], e) for e in ranked]


def candidates(*, session: Session, region: str) -> list[tuple[Solution, Evaluation]]:
    """Solutions the system proposes for 优秀产品 (the bureau decides)."""
    pairs = solution_evaluations(session=session, region=region)
    chosen = {e.subject_id for e in excellent_candidates(e for _, e in pairs)}
    return [(s, e) for s, e in pairs if e.subject_id in chosen]
