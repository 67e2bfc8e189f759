"""Matching a whole cohort (a batch, an industry, a city) at once: a shortlist for every
need, a capacity-aware allocation and a gap report for the bureau."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog.taxonomy import taxonomy
from matching.allocation import Allocation, NeedSlot, Option, allocate
from matching.records import EnterpriseRecord, NeedRecord
from matching.scoring import MatchContext, ScoredMatch, rank

Progress = Callable[[int, int], None]


@dataclass
class Gap:
    """Needs of one scenario and industry for which no offering scores above the threshold."""

    scenario: str
    industry: str
    need_ids: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    best_score: float = 0.0
    reason_zh: str = ""  # NO_OFFERING or NO_LOCAL_PROVIDER


NO_OFFERING = "方案库中没有匹配度达标的产品"
NO_LOCAL_PROVIDER = "本地区无服务商：达标的产品只来自不服务该地区的服务商"


@dataclass
class CohortResult:
    shortlists: dict[str, list[ScoredMatch]]
    allocation: Allocation
    gaps: list[Gap]

    def as_dict(self) -> dict[str, Any]:
        return {
            "allocation": {
                n: (vars(o) if o else None) for n, o in self.allocation.assigned.items()
            },
            "provider_load": {p: len(e) for p, e in self.allocation.provider_enterprises.items()},
            "total": round(self.allocation.total, 4),
            "gaps": [vars(g) for g in self.gaps],
        }


def match_cohort(*, enterprises: Sequence[EnterpriseRecord], needs: Sequence[NeedRecord],
                 ctx: MatchContext, k: int | None = None, candidates: int = 30,
                 progress: Progress | None = None) -> CohortResult:
    """Shortlist every need, allocate within provider capacities, and report the gaps.

    Candidates are pruned per need with the inverted text index and the scenario and
    industry arrays (see scoring.candidates); only `candidates` per need are scored in full.

    Args:
        k: alternatives kept per need (default: config.top_k).
        progress: called as progress(done, total) after each need.
    """
    by_id = {e.id: e for e in enterprises}
    shortlists: dict[str, list[ScoredMatch]] = {}
    for done, need in enumerate(needs, start=1):
        enterprise = by_id.get(need.enterprise_id) or EnterpriseRecord(id=need.enterprise_id)
        shortlists[need.id] = rank(need, enterprise, ctx, k=k, limit=candidates)
        if progress is not None:
            progress(done, len(needs))
    threshold = ctx.config.gap_threshold
    slots = [
        NeedSlot(n.id, n.enterprise_id, n.priority_weight,
                 tuple(Option(m.solution_id, m.provider_id, m.total)
                       for m in shortlists[n.id] if m.total >= threshold))
        for n in needs
    ]
    capacity = {pid: p.capacity for pid, p in ctx.providers.items()}
    allocation = allocate(slots, capacity)
    return CohortResult(shortlists, allocation, gap_report(needs, by_id, shortlists, threshold, ctx))


def gap_report(needs: Sequence[NeedRecord], enterprises: dict[str, EnterpriseRecord],
               shortlists: dict[str, list[ScoredMatch]], threshold: float,
               ctx: MatchContext) -> list[Gap]:
    """Needs whose best offering scores below `threshold`, grouped by scenario and industry.

    The scenario is the need's own, or the one inferred from its text (未识别 when none).
    Groups are ordered by size, largest first.
    """
    groups: dict[tuple[str, str, str], Gap] = defaultdict(lambda: Gap("", ""))
    for need in needs:
        best = shortlists.get(need.id, [])
        best_score = best[0].total if best else 0.0
        if best_score >= threshold:
            continue
        view = ctx.view(need)
        scenario = view.scenarios[0][0] if view.scenarios else "未识别"
        ent = enterprises.get(need.enterprise_id)
        code = ent.industry if ent and ent.industry else "未知"
        industry = taxonomy().industries.get(code, code)
        reason = _gap_reason(need, ent, ctx, threshold)
        gap = groups[(scenario, industry, reason)]
        gap.scenario, gap.industry, gap.reason_zh = scenario, industry, reason
        gap.need_ids.append(need.id)
        if len(gap.examples) < 3:
            gap.examples.append(need.text)
        gap.best_score = max(gap.best_score, best_score)
    return sorted(groups.values(), key=lambda g: (-len(g.need_ids), g.scenario, g.industry, g.reason_zh))


def _gap_reason(need: NeedRecord, enterprise: EnterpriseRecord | None, ctx: MatchContext, threshold: float) -> str:
    """Why a need is a gap: nothing in the pool meets it, or only providers outside its region could."""
    if enterprise is None:
        return NO_OFFERING
    anywhere = rank(need, enterprise, ctx, k=1, outside=True)
    return NO_LOCAL_PROVIDER if anywhere and anywhere[0].total >= threshold else NO_OFFERING
