"""Provider and solution evaluation from the records: which engagements with the city's
enterprises and which event meeting outcomes count, as the facts the matcher scores
(matching/evaluation.py, handed in: catalog imports no matching), and which solutions the
优秀产品清单 holds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from sqlalchemy import or_
from sqlmodel import Session, col, select

from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise
from catalog.events.models import EventParticipant, Meeting, MeetingRequest
from catalog.progress import policy
from catalog.progress.facts import EngagementFact
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from catalog.solutions.permissions import visible_solutions


class Scored(Protocol):
    """What is read here of the matcher's evaluation: whose it is."""

    @property
    def subject_id(self) -> int: ...


E = TypeVar("E", bound=Scored)
Subject = tuple[int, list[EngagementFact], list[str]]  # a provider's or solution's id, its engagements, its outcomes
Evaluate = Callable[[list[Subject]], list[E]]
"""The matcher's evaluation (matching.evaluation.ranked): every subject scored, best first;
handed in by the caller, as `catalog.events.meetings.run_schedule` is handed its planner."""
Propose = Callable[[list[E]], list[E]]
"""The evaluations the matcher proposes for 优秀产品 (matching.evaluation.excellent_candidates)."""


def counted_engagements(*, session: Session, region: str) -> list[tuple[Engagement, EngagementFact]]:
    """The engagements of the city's enterprises, whatever became of the offering since, each
    with the fact the evaluation scores."""
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


def meeting_outcomes(*, session: Session, region: str) -> dict[int, list[str]]:
    """The outcomes the city's enterprises recorded of meetings held with providers, per
    provider: as the engagements counted (counted_engagements), a city judges its providers by
    what its own enterprises said, not by meetings elsewhere."""
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


def provider_evaluations(*, session: Session, region: str, evaluate: Evaluate[E]) -> list[tuple[Provider, E]]:
    """Every provider with engagements in the city or based there, scored and ranked."""
    by_provider: dict[int, list[EngagementFact]] = defaultdict(list)
    for engagement, fact in counted_engagements(session=session, region=region):
        by_provider[engagement.provider_id].append(fact)
    outcomes = meeting_outcomes(session=session, region=region)
    providers = session.exec(select(Provider).where(or_(
        col(Provider.id).in_(list(by_provider)), col(Provider.region).startswith(region, autoescape=True)))).all()
    named = {p.id or 0: p for p in providers}
    ranked = evaluate([(pid, by_provider.get(pid, []), outcomes.get(pid, [])) for pid in named])
    return [(named[e.subject_id], e) for e in ranked]


def solution_evaluations(*, session: Session, region: str, evaluate: Evaluate[E]) -> list[tuple[Solution, E]]:
    """Solutions applied by the city's enterprises, scored and ranked."""
    by_solution: dict[int, list[EngagementFact]] = defaultdict(list)
    for engagement, fact in counted_engagements(session=session, region=region):
        by_solution[engagement.solution_id].append(fact)
    solutions = {s.id: s for s in session.exec(select(Solution).where(col(Solution.id).in_(list(by_solution)))).all()}
    ranked = evaluate([(sid, facts, []) for sid, facts in by_solution.items()])
    return [(solutions[e.subject_id], e) for e in ranked]


@dataclass(frozen=True)
class Excellent(Generic[E]):
    """A line of the 优秀产品清单: a solution marked 优秀 (with its evaluation when the city's
    enterprises applied it), or one the evaluation proposes."""

    solution: Solution
    evaluation: E | None
    marked: bool  # 已评为优秀; else proposed (系统建议评选)


def excellent(*, session: Session, region: str, evaluate: Evaluate[E], propose: Propose[E]) -> list[Excellent[E]]:
    """优秀产品清单 of a city: the publicly listed solutions (visible_solutions to the public)
    marked 优秀 that are the city's (its providers' or applied by its enterprises), then the
    listed ones the evaluation proposes (the bureau decides)."""
    pairs = solution_evaluations(session=session, region=region, evaluate=evaluate)
    scored = {s.id: e for s, e in pairs}
    marked = _marked(session, region, [s.id or 0 for s, _ in pairs])
    taken = {s.id for s in marked}
    return ([Excellent(s, scored.get(s.id), True) for s in marked]
            + [Excellent(s, e, False) for s, e in _proposed(session, pairs, propose) if s.id not in taken])


def _marked(session: Session, region: str, applied: list[int]) -> list[Solution]:
    """The listed solutions marked 优秀 of the city's providers or among those its enterprises applied."""
    local = select(Provider.id).where(col(Provider.region).startswith(region, autoescape=True))
    statement = select(Solution).where(col(Solution.excellent).is_(True), or_(
        col(Solution.provider_id).in_(local), col(Solution.id).in_(applied or [-1])))
    return list(session.exec(visible_solutions(None, statement).order_by(col(Solution.id))).all())


def _proposed(session: Session, pairs: list[tuple[Solution, E]], propose: Propose[E]) -> list[tuple[Solution, E]]:
    """The evaluated solutions the matcher proposes for 优秀产品, listed ones only: a retired or
    withdrawn offering, or one whose provider left the pool, is not proposed."""
    chosen = [e.subject_id for e in propose([e for _, e in pairs])]
    listed = set(session.exec(visible_solutions(None, select(Solution.id).where(
        col(Solution.id).in_(chosen or [-1])))).all())
    return [(s, e) for s, e in pairs if e.subject_id in listed]
