"""Provider and solution evaluation (考核评价, 动态管理) from engagement histories.

Pure: plain facts in, a score with its components out. Each rate is smoothed towards a
neutral prior (a provider with one engagement is neither perfect nor hopeless), so a
ranking does not reward a single lucky case. The system proposes 预警 / 退出; the bureau
decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from catalog.progress import policy
from catalog.progress.facts import EngagementFact
from catalog.taxonomy import level_on_scale

PRIOR_WEIGHT = 2.0  # pseudo-observations of the prior in each smoothed rate


@dataclass(frozen=True)
class Weights:
    """Points of each component (they sum to 100) and the complaint penalty."""

    served: float = 15.0
    acceptance: float = 25.0
    uplift: float = 20.0
    on_time: float = 15.0
    rating: float = 15.0
    events: float = 10.0
    complaint_penalty: float = 5.0
    served_full_at: int = 5  # enterprises served for full points


@dataclass(frozen=True)
class Component:
    key: str
    label_zh: str
    value: float  # the raw figure (a count, a rate, levels)
    points: float
    max_points: float


@dataclass(frozen=True)
class Evaluation:
    """A score (0–100) with its components and the system's proposal."""

    subject_id: int
    score: float
    components: tuple[Component, ...]
    enterprises_served: int
    acceptances: int
    terminations: int
    complaints: int
    proposal: str  # 正常 / 建议预警 / 建议退出 / 暂无记录
    reasons_zh: tuple[str, ...] = field(default_factory=tuple)


def smoothed(hits: float, total: float, prior: float) -> float:
    """(hits + prior·m) / (total + m): a rate pulled towards `prior` when evidence is thin."""
    return (hits + prior * PRIOR_WEIGHT) / (total + PRIOR_WEIGHT)


def _uplifts(facts: Sequence[EngagementFact]) -> list[float]:
    values = []
    for fact in facts:
        before, after = level_on_scale(fact.level_before), level_on_scale(fact.level_after)
        if fact.status == "已验收" and before is not None and after is not None:
            values.append(max(0.0, after - before))
    return values


def _components(facts: Sequence[EngagementFact], outcomes: Sequence[str], w: Weights) -> list[Component]:
    served = len({f.enterprise_id for f in facts if f.status != "意向"})
    accepted = sum(f.status == "已验收" for f in facts)
    closed = accepted + sum(f.status == "终止" for f in facts)
    uplifts = _uplifts(facts)
    timed = [f for f in facts if f.status == "已验收" and f.promised_days and f.actual_days is not None]
    on_time = sum(bool(policy.on_time(f.actual_days, f.promised_days)) for f in timed)
    ratings = [f.rating for f in facts if f.rating]
    held = [o for o in outcomes if o != "未到场"]
    good = sum(o in ("有意向", "已签约") for o in held)
    acc_rate = smoothed(accepted, closed, 0.6)
    uplift = smoothed(sum(uplifts), len(uplifts), 0.5)  # average levels gained, full at 1
    time_rate = smoothed(on_time, len(timed), 0.6)
    span = policy.RATING_MAX - policy.RATING_MIN
    rating = smoothed(sum(r - policy.RATING_MIN for r in ratings) / span, len(ratings), 0.6)
    event_rate = smoothed(good, len(held), 0.5)
    return [
        Component("served", "服务企业数", served, w.served * min(served / w.served_full_at, 1.0), w.served),
        Component("acceptance", "验收通过率", acc_rate, w.acceptance * acc_rate, w.acceptance),
        Component("uplift", "平均等级提升", uplift, w.uplift * min(uplift, 1.0), w.uplift),
        Component("on_time", "按期交付率", time_rate, w.on_time * time_rate, w.on_time),
        Component("rating", "企业评价", rating, w.rating * rating, w.rating),
        Component("events", "对接活动成效", event_rate, w.events * event_rate, w.events),
    ]


def _proposal(score: float, facts: Sequence[EngagementFact], complaints: int, terminations: int) -> tuple[str, list[str]]:
    if not facts:
        return "暂无记录", []
    reasons = []
    if terminations >= policy.WARN_TERMINATIONS:
        reasons.append(f"终止 {terminations} 项")
    if complaints:
        reasons.append(f"投诉 {complaints} 次")
    accepted = sum(f.status == "已验收" for f in facts)
    if score < policy.EXIT_BELOW_SCORE or (terminations >= policy.EXIT_TERMINATIONS and terminations > accepted):
        return "建议退出", [f"综合得分 {score:.1f} 分", *reasons]
    if (score < policy.WARN_BELOW_SCORE or complaints >= policy.WARN_COMPLAINTS
            or terminations >= policy.WARN_TERMINATIONS):
        return "建议预警", [f"综合得分 {score:.1f} 分", *reasons]
    return "正常", reasons


def evaluate(subject_id: int, facts: Iterable[EngagementFact], outcomes: Iterable[str] = (),
             weights: Weights | None = None) -> Evaluation:
    """Evaluate one provider (or solution) from its engagements and its event meeting outcomes.

    Components: enterprises served (full at `served_full_at`), acceptance rate among closed
    engagements, average level uplift at acceptance, on-time rate (actual vs promised deploy
    days), the enterprises' ratings, and the share of event meetings that led to 有意向/已签约.
    Each complaint takes `complaint_penalty` points off. The score is clamped to 0–100.

    Returns:
        Evaluation with the components, counts and a proposal (正常 / 建议预警 / 建议退出 / 暂无记录).
    """
    w = weights or Weights()
    facts, outcomes = list(facts), list(outcomes)
    components = _components(facts, outcomes, w)
    complaints = sum(f.complaint for f in facts)
    terminations = sum(f.status == "终止" for f in facts)
    raw = sum(c.points for c in components) - w.complaint_penalty * complaints
    score = round(max(0.0, min(100.0, raw)), 1)
    proposal, reasons = _proposal(score, facts, complaints, terminations)
    return Evaluation(
        subject_id=subject_id, score=score, components=tuple(components),
        enterprises_served=int(components[0].value), acceptances=sum(f.status == "已验收" for f in facts),
        terminations=terminations, complaints=complaints, proposal=proposal, reasons_zh=tuple(reasons))


def rank(evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """Highest score first; ties by more acceptances, then by id."""
    return sorted(evaluations, key=lambda e: (-e.score, -e.acceptances, e.subject_id))


def ranked(subjects: Iterable[tuple[int, Sequence[EngagementFact], Sequence[str]]]) -> list[Evaluation]:
    """Evaluate every subject, best first: what catalog.progress.evaluations is handed.

    Args:
        subjects: (a provider's or solution's id, its engagements, its event meeting outcomes).

    Returns:
        One Evaluation per subject, in `rank` order.
    """
    return rank(evaluate(subject_id, facts, outcomes) for subject_id, facts, outcomes in subjects)


def excellent_candidates(evaluations: Iterable[Evaluation], *, min_score: float = policy.EXCELLENT_MIN_SCORE,
                         min_acceptances: int = policy.EXCELLENT_MIN_ACCEPTANCES) -> list[Evaluation]:
    """Solutions that may be proposed for 优秀产品: a high score on enough accepted cases."""
    return [e for e in rank(evaluations) if e.score >= min_score and e.acceptances >= min_acceptances]
