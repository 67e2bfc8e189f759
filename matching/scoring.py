"""Scoring one need against one offering (and its provider), every component explained.

`score` gives the full, explained score of one pair. `rank` gives the top offerings
for one need over a whole catalogue: it prunes with the inverted text index plus
per-scenario and per-industry arrays (numpy over all offerings), then scores the
surviving candidates in full with `score`, so the shortlist and its explanation agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching import components as comp
from matching.config import COMPONENTS, LABELS_ZH
from matching.context import MatchContext, NeedView
from matching.records import EnterpriseRecord, NeedRecord, ProviderRecord, SolutionRecord

__all__ = [
    "Component", "MatchContext", "NeedView", "ScoredMatch", "candidates",
    "prefilter", "rank", "score",
]


@dataclass(frozen=True)
class Component:
    """One explained part of a score: value in [0, 1] and its weight."""

    name: str
    label_zh: str
    value: float
    weight: float
    reason_zh: str


@dataclass
class ScoredMatch:
    """A need × offering pair with its total in [0, 1] and the parts it is made of."""

    need_id: str
    solution_id: str
    provider_id: str
    total: float
    components: list[Component]
    price_wan: float = 0.0
    subsidy_wan: float = 0.0
    net_wan: float = 0.0
    extras: dict[str, Any] = field(default_factory=dict)

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)

    @property
    def outside_region(self) -> Component | None:
        """The region part when its provider does not serve the enterprise's region (外地服务商:
        components.region_fit, over catalog.regions.serves), else None."""
        return next((c for c in self.components if c.name == "region" and c.value == 0), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "need_id": self.need_id, "solution_id": self.solution_id,
            "provider_id": self.provider_id, "total": round(self.total, 4),
            "price_wan": self.price_wan, "subsidy_wan": self.subsidy_wan,
            "net_wan": self.net_wan,
            "components": [
                {"name": c.name, "label": c.label_zh, "value": round(c.value, 4),
                 "weight": c.weight, "reason": c.reason_zh}
                for c in self.components
            ],
        }


def score(need: NeedRecord, enterprise: EnterpriseRecord, solution: SolutionRecord,
          provider: ProviderRecord, ctx: MatchContext) -> ScoredMatch:
    """Score one need of one enterprise against one offering of one provider.

    Returns:
        ScoredMatch: total = weighted mean of the components (each in [0, 1]), with a
        Chinese reason per component and the price, expected subsidy and net cost.
    """
    view = ctx.view(need)
    weights = ctx.config.weights
    text = ctx.index.relevance(view.text, ctx.position[solution.id])
    money = comp.net_cost(enterprise, solution, ctx.policy(enterprise))
    parts = {
        "text": comp.text_component(text),
        "scenario": comp.scenario_fit(view.scenarios, view.inferred, solution),
        "industry": comp.industry_component(enterprise, solution, ctx.config.industry_values),
        "size": comp.size_fit(enterprise, solution),
        "budget": comp.budget_fit(need, enterprise, money),
        "level": comp.level_fit(enterprise, solution),
        "region": comp.region_fit(enterprise, provider),
        "standing": comp.standing(provider, solution),
    }
    components = [
        Component(name, LABELS_ZH[name], value, weights.get(name, 0.0), reason)
        for name, (value, reason) in ((n, parts[n]) for n in COMPONENTS)
    ]
    whole = sum(c.weight for c in components) or 1.0
    total = sum(c.value * c.weight for c in components) / whole
    return ScoredMatch(need.id, solution.id, solution.provider_id, total, components,
                       price_wan=solution.price_wan, subsidy_wan=money.amount_wan,
                       net_wan=money.net_wan)


def prefilter(need: NeedRecord, enterprise: EnterpriseRecord, ctx: MatchContext) -> np.ndarray:
    """The cheap part of the score for every offering: text, scenario and industry."""
    view = ctx.view(need)
    w = ctx.config.weights
    values = ctx.index.relevance_all(view.text) * np.float32(w.get("text", 0.0))
    values += ctx.scenario_values(view) * np.float32(w.get("scenario", 0.0))
    values += ctx.industry_fit(enterprise) * np.float32(w.get("industry", 0.0))
    return served_only(values, enterprise, ctx)


def served_only(values: np.ndarray, enterprise: EnterpriseRecord, ctx: MatchContext) -> np.ndarray:
    """`values` with the offerings whose provider does not serve the enterprise's region set
    to -1: for that enterprise they do not exist."""
    return np.where(ctx._regions(enterprise) > 0, values, np.float32(-1.0))


def candidates(need: NeedRecord, enterprise: EnterpriseRecord, ctx: MatchContext,
               limit: int | None = None) -> list[int]:
    """Positions of the offerings worth scoring in full for a need, best prefilter first."""
    return [int(i) for i in _candidates(prefilter(need, enterprise, ctx), ctx, limit)]


def _candidates(values: np.ndarray, ctx: MatchContext, limit: int | None) -> np.ndarray:
    count = min(limit or ctx.config.candidates, len(values))
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if count < len(values):
        top = np.argpartition(-values, count - 1)[:count]
    else:
        top = np.arange(len(values))
    top = top[values[top] > 0] if np.any(values[top] > 0) else top[values[top] >= 0]
    return top[np.argsort(-values[top], kind="stable")]


def rank(need: NeedRecord, enterprise: EnterpriseRecord, ctx: MatchContext,
         k: int | None = None, limit: int | None = None, *, outside: bool = False) -> list[ScoredMatch]:
    """The best `k` offerings for a need, fully scored and explained, best first.

    Candidates are pruned on text, scenario and industry over the whole catalogue,
    totalled with every component (numpy), and only the best `k` are explained. Only
    offerings whose provider serves the enterprise's region take part, unless `outside`
    (the user asked to see the others too: their region component is 0 and says so).

    Args:
        limit: how many pruned candidates to total in full (default: config.candidates).
    """
    view = ctx.view(need)
    text = ctx.index.relevance_all(view.text)
    w = ctx.config.weights
    scenario = ctx.scenario_values(view)
    values = text * np.float32(w.get("text", 0.0))
    values += scenario * np.float32(w.get("scenario", 0.0))
    values += ctx.industry_fit(enterprise) * np.float32(w.get("industry", 0.0))
    if not outside:
        values = served_only(values, enterprise, ctx)
    positions = _candidates(values, ctx, limit)
    positions = positions[values[positions] >= 0]
    totals = ctx.numeric(need, enterprise, positions, text[positions], scenario)
    # `numeric` is `score`'s total without the words, so the best k by it are the best k;
    # totals equal to 1e-9 count as tied, and ties go by position, as they do below by id
    best = positions[np.lexsort((positions, -np.round(totals, 9)))][: k or ctx.config.top_k]
    scored = [
        score(need, enterprise, ctx.solutions[i], ctx.provider(ctx.solutions[i].provider_id), ctx)
        for i in best
    ]
    scored.sort(key=lambda m: (-round(m.total, 9), m.solution_id))
    return scored
