"""A bundle for one enterprise: offerings that cover its needs, weighted by priority,
within its budget after the subsidy of its city's policy, with fewer providers preferred."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog.subsidies.amounts import Subsidy, policy_level, subsidy, subsidy_amount
from catalog.subsidies.policies import Policy
from matching.records import EnterpriseRecord, NeedRecord, SolutionRecord
from matching.scoring import MatchContext, ScoredMatch, rank


@dataclass
class BundleItem:
    solution_id: str
    name: str
    provider_id: str
    price_wan: float
    covers: list[str]  # need ids


@dataclass
class Bundle:
    """The proposed bundle: items, which need each covers, and the money."""

    enterprise_id: str
    items: list[BundleItem]
    covered: dict[str, ScoredMatch]  # need id → the match that covers it
    uncovered: dict[str, ScoredMatch | None]  # need id → best option left out (or none)
    budget_wan: float | None
    total_wan: float
    subsidy: Subsidy
    value: float
    notes_zh: list[str] = field(default_factory=list)

    @property
    def net_wan(self) -> float:
        return self.subsidy.net_wan

    @property
    def providers(self) -> set[str]:
        return {item.provider_id for item in self.items}

    def as_dict(self) -> dict[str, Any]:
        return {
            "enterprise_id": self.enterprise_id,
            "items": [vars(item) for item in self.items],
            "covered": {n: m.solution_id for n, m in self.covered.items()},
            "uncovered": {n: (m.as_dict() if m else None) for n, m in self.uncovered.items()},
            "budget_wan": self.budget_wan, "total_wan": self.total_wan,
            "subsidy_wan": self.subsidy.amount_wan, "net_wan": self.net_wan,
            "policy": self.subsidy.policy_name_zh, "policy_reason": self.subsidy.reason_zh,
            "notes": self.notes_zh,
        }


def bundle_cost(solutions: Sequence[SolutionRecord], enterprise: EnterpriseRecord,
                policy: Policy) -> Subsidy:
    """Total price of a set of offerings and the subsidy on it, at the level the set reaches."""
    total = round(sum(s.price_wan for s in solutions), 4)
    level = policy_level(policy, enterprise.level, *(s.target_level for s in solutions))
    return subsidy(policy=policy, spend_wan=total, level=level)


def bundle_budget(enterprise: EnterpriseRecord, needs: Sequence[NeedRecord]) -> float | None:
    """The enterprise's budget, else the sum of its needs' budgets, else none."""
    if enterprise.budget_wan is not None:
        return float(enterprise.budget_wan)
    given = [n.budget_wan for n in needs if n.budget_wan is not None]
    return float(sum(given)) if given else None


class _Problem:
    """Scores of candidate offerings per need, and the objective of a selection."""

    def __init__(self, needs: Sequence[NeedRecord], shortlists: dict[str, list[ScoredMatch]],
                 ctx: MatchContext, min_score: float, enterprise: EnterpriseRecord,
                 policy: Policy) -> None:
        self.needs = list(needs)
        self.ctx = ctx
        self.policy = policy
        self.cover: dict[str, dict[str, ScoredMatch]] = {}  # solution → need → match
        for need in needs:
            for match in shortlists.get(need.id, []):
                if match.total >= min_score:
                    self.cover.setdefault(match.solution_id, {})[need.id] = match
        self.base_level = policy_level(policy, enterprise.level)
        self.levels = {sid: policy_level(policy, self.solution(sid).target_level)
                       for sid in self.cover}

    def net(self, chosen: Sequence[str]) -> float:
        """Net cost of a selection (numbers only; `bundle_cost` gives the explained form)."""
        return self.net_of(sum(self.solution(s).price_wan for s in chosen),
                           max([self.base_level, *(self.levels[s] for s in chosen)]))

    def net_of(self, price: float, level: int) -> float:
        """Net cost of a selection of that summed price reaching that level."""
        total = round(price, 4)
        return total - subsidy_amount(self.policy, total, level)

    def solution(self, sid: str) -> SolutionRecord:
        return self.ctx.solutions[self.ctx.position[sid]]

    def objective(self, chosen: Sequence[str]) -> float:
        value = 0.0
        for need in self.needs:
            best = max((self.cover[s][need.id].total for s in chosen if need.id in self.cover[s]),
                       default=0.0)
            value += need.priority_weight * best
        providers = {self.solution(s).provider_id for s in chosen}
        return value - self.ctx.config.new_provider_penalty * len(providers)


def _greedy(problem: _Problem, budget: float | None, by_ratio: bool) -> list[str]:
    """Add the offering with the best gain (or gain per net 万元) while the budget holds."""
    weight = {n.id: n.priority_weight for n in problem.needs}
    best = dict.fromkeys(weight, 0.0)
    providers: set[str] = set()
    chosen: list[str] = []
    net = price = 0.0  # the selection's net cost and summed price, and the level it reaches
    level = problem.base_level
    penalty = problem.ctx.config.new_provider_penalty
    while True:
        pick: tuple[float, str, float] | None = None
        for sid, covers in problem.cover.items():
            if sid in chosen:
                continue
            gain = sum(weight[n] * max(0.0, m.total - best[n]) for n, m in covers.items())
            if problem.solution(sid).provider_id not in providers:
                gain -= penalty
            if gain <= 1e-9:
                continue
            cost = problem.net_of(price + problem.solution(sid).price_wan, max(level, problem.levels[sid]))
            if budget is not None and cost > budget + 1e-9:
                continue
            key = gain / max(cost - net, 0.05) if by_ratio else gain
            if pick is None or key > pick[0] or (key == pick[0] and sid < pick[1]):
                pick = (key, sid, cost)
        if pick is None:
            return chosen
        _, sid, net = pick
        chosen.append(sid)
        price += problem.solution(sid).price_wan
        level = max(level, problem.levels[sid])
        providers.add(problem.solution(sid).provider_id)
        for n, m in problem.cover[sid].items():
            best[n] = max(best[n], m.total)


def propose_bundle(*, enterprise: EnterpriseRecord, needs: Sequence[NeedRecord],
                   ctx: MatchContext, shortlists: dict[str, list[ScoredMatch]] | None = None,
                   min_score: float | None = None) -> Bundle:
    """Choose offerings covering the enterprise's needs, weighted by priority, within budget.

    The budget is compared with the net cost (total price − the subsidy of the city's
    policy, at the level the bundle reaches). Two greedy passes (best gain, best gain per
    net 万元) are compared; a needed offering left out for budget is reported with its
    net cost, not hidden.

    Returns:
        Bundle with items, per-need cover, total, subsidy (naming the policy) and net cost.
    """
    if shortlists is None:
        shortlists = {n.id: rank(n, enterprise, ctx, k=ctx.config.top_k) for n in needs}
    threshold = ctx.config.gap_threshold if min_score is None else min_score
    policy = ctx.policy(enterprise)
    problem = _Problem(needs, shortlists, ctx, threshold, enterprise, policy)
    budget = bundle_budget(enterprise, needs)
    picks = [_greedy(problem, budget, by_ratio=r) for r in (False, True)]
    chosen = max(picks, key=lambda c: (problem.objective(c), -len(c)))
    return _assemble(problem, chosen, enterprise, policy, budget, shortlists)


def _assemble(problem: _Problem, chosen: list[str], enterprise: EnterpriseRecord, policy: Policy,
              budget: float | None, shortlists: dict[str, list[ScoredMatch]]) -> Bundle:
    covered: dict[str, ScoredMatch] = {}
    for need in problem.needs:
        options = [problem.cover[s][need.id] for s in chosen if need.id in problem.cover[s]]
        if options:
            covered[need.id] = max(options, key=lambda m: m.total)
    items = [
        BundleItem(sid, problem.solution(sid).name, problem.solution(sid).provider_id,
                   problem.solution(sid).price_wan,
                   [n for n, m in covered.items() if m.solution_id == sid])
        for sid in chosen
    ]
    items = [item for item in items if item.covers]
    money = bundle_cost([problem.solution(i.solution_id) for i in items], enterprise, policy)
    uncovered: dict[str, ScoredMatch | None] = {
        n.id: (shortlists.get(n.id) or [None])[0]  # type: ignore[list-item]
        for n in problem.needs if n.id not in covered}
    notes = [_uncovered_note(nid, match, budget) for nid, match in uncovered.items()]
    return Bundle(enterprise.id, items, covered, uncovered, budget, money.spend_wan, money,
                  problem.objective([i.solution_id for i in items]), notes)


def _uncovered_note(need_id: str, match: ScoredMatch | None, budget: float | None) -> str:
    if match is None:
        return f"需求{need_id}：资源池中没有合适的产品"
    if budget is not None and match.net_wan > 0:
        return (f"需求{need_id}：最合适的产品{match.solution_id}净支出{match.net_wan:g}万元，"
                f"加入后超出预算{budget:g}万元或匹配度不足，未纳入组合")
    return f"需求{need_id}：最合适的产品{match.solution_id}匹配度不足，未纳入组合"
