"""The chain proposal: which offerings roll out to which members, in what order, at what cost.

Pure: the chain, the needs the viewer may see, the offerings and a need × offering
score source in; a `ChainProposal` out. The optimisation is a budgeted weighted
coverage (`matching.chains.coverage`): items are members' needs (weight = priority ×
(1 + criticality)) and each member's connection to the leader (covered by 供应链协同
offerings); a group-purchase (集采) discount applies once `group_min` members take
the same offering.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from catalog.regions import city
from catalog.taxonomy import level_number
from matching.chains.analysis import critical_members, tier_label
from matching.chains.coverage import CoverageProblem, Selection, offering_cost, solve_coverage
from matching.chains.graph import Chain, ChainMember, Region, is_below_bar
from matching.chains.rules import (
    CONNECT_SCENARIO,
    connects,
    expected_level,
    fits,
    policy_subsidy,
)
from matching.components import serves_enterprise
from matching.records import EnterpriseRecord, NeedRecord, ProviderRecord, SolutionRecord

_ANYWHERE = ProviderRecord(id="", name="")  # a provider not given: nationwide
ScoreFn = Callable[[NeedRecord, SolutionRecord], float]
ScoreSource = Mapping[tuple[str, str], float] | ScoreFn
SubsidyFn = Callable[[EnterpriseRecord, float, str], tuple[float, str]]


@dataclass
class PlacedOffering:
    """One offering placed with a member."""

    solution_id: str
    name: str
    provider_id: str
    scenarios: list[str]
    list_price_wan: float
    price_wan: float  # after the group discount
    need_ids: list[str]  # the member's (visible) needs it covers
    connects_to_leader: bool


@dataclass
class MemberPlan:
    """What one member gets, what it costs, what it is subsidised, where it ends up."""

    id: str
    name: str
    tier: int
    relation: str
    city: str
    order: int
    wave: int
    criticality: float
    level_before: str
    level_after: str
    offerings: list[PlacedOffering]
    cost_wan: float
    subsidy_wan: float
    subsidy_reason_zh: str
    net_wan: float
    needs_covered: int
    needs_visible: int
    reason_zh: str


@dataclass
class GroupPurchase:
    """One offering bought for several members (集采)."""

    solution_id: str
    name: str
    members: int
    list_unit_wan: float
    unit_wan: float
    total_wan: float
    saving_wan: float


@dataclass
class ChainProposal:
    """The proposal for a chain, in roll-out order, with totals and a Chinese summary."""

    leader_id: str
    budget_wan: float
    discount: float
    group_min: int
    members: list[MemberPlan]
    not_reached: list[dict[str, str]]
    group_purchases: list[GroupPurchase]
    waves: list[dict[str, Any]]
    totals: dict[str, float]
    explanation_zh: str = ""
    notes_zh: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _scorer(scores: ScoreSource) -> ScoreFn:
    if callable(scores):
        return scores
    table = scores
    return lambda need, sol: float(table.get((need.id, sol.id), 0.0))


def build_problem(
    region: Region, chain: Chain, *, needs: Mapping[str, Sequence[NeedRecord]],
    solutions: Sequence[SolutionRecord], scores: ScoreSource, criticality: Mapping[str, float],
    budget_wan: float, discount: float, group_min: int, cover_at: float, connect_weight: float,
    per_member: int, min_value_per_wan: float = 0.0, providers: Mapping[str, ProviderRecord] | None = None,
) -> CoverageProblem:
    """The coverage problem of a chain: items, weights, candidate placements and prices.
    An offering is placed with a member only if it suits the member and its provider (in
    `providers`; one not there counts as nationwide) serves the member's region."""
    score = _scorer(scores)
    known = providers or {}
    weights: dict[str, float] = {}
    covers: dict[tuple[str, str], dict[str, float]] = {}
    for member_id in chain.members:
        ent = region.enterprises[member_id]
        factor = 1.0 + criticality.get(member_id, 0.0)
        member_needs = list(needs.get(member_id, ()))
        for need in member_needs:
            weights[need.id] = need.priority_weight * factor
        connect = f"connect:{member_id}"
        if connect_weight > 0:
            weights[connect] = connect_weight * factor
        options: list[tuple[float, str, dict[str, float]]] = []
        for sol in solutions:
            if not fits(sol, ent) or not serves_enterprise(known.get(sol.provider_id, _ANYWHERE), ent):
                continue
            covered = {n.id: round(s, 4) for n in member_needs if (s := score(n, sol)) >= cover_at}
            if connect_weight > 0 and connects(sol, chain.members[member_id].relation):
                covered[connect] = 1.0
            if covered:
                value = sum(weights[i] * d for i, d in covered.items())
                options.append((value, sol.id, covered))
        options.sort(key=lambda o: (-o[0], o[1]))
        for _value, sol_id, covered in options[:per_member]:
            covers[(sol_id, member_id)] = covered
    price = {s.id: max(0.0, float(s.price_wan)) for s in solutions}
    return CoverageProblem(weights=weights, covers=covers, price=price, budget=budget_wan,
                           discount=discount, group_min=group_min, min_ratio=min_value_per_wan)


def _wave(member: ChainMember, critical: bool, below: bool) -> int:
    if member.tier > 1:
        return 3
    return 1 if critical or below else 2


COVER_AT = 0.5  # a matcher total at which an offering counts as covering a need (precision ≈ 0.97 on dev)
MIN_VALUE_PER_WAN = 0.05  # e.g. a 中 need of a typical member, fully covered, for at most ~60 万元

WAVE_LABELS = {
    1: "第一批：一级配套中的关键成员和低于二级的成员",
    2: "第二批：其余一级配套成员",
    3: "第三批：二级及更深层配套成员（经由一级配套带动）",
}


def propose_chain(
    region: Region, chain: Chain, *, needs: Mapping[str, Sequence[NeedRecord]],
    solutions: Sequence[SolutionRecord], scores: ScoreSource, budget_wan: float,
    discount: float = 0.1, group_min: int = 3, subsidy_fn: SubsidyFn | None = None,
    cover_at: float = COVER_AT, connect_weight: float = 2.0, per_member: int = 6,
    min_value_per_wan: float = MIN_VALUE_PER_WAN, providers: Mapping[str, ProviderRecord] | None = None,
) -> ChainProposal:
    """A chain proposal under a budget.

    Args:
        needs: member id → the needs the viewer may see (see `matching.chains.analysis.visible_needs`);
            a member's hidden needs neither shape nor appear in the proposal.
        solutions: the offerings to choose from (published ones).
        scores: need × offering scores in 0–1, as a callable `(need, solution)` or a dict
            keyed `(need id, solution id)`; a score ≥ `cover_at` covers the need.
        budget_wan: the chain's budget (万元) on what members pay before subsidy.
        discount: the group-purchase discount (0.1 = 10% off) once `group_min` members
            take the same offering.
        subsidy_fn: `(member, spend, level after) → (amount, reason)`; defaults to the
            member's city policy (catalog/subsidies/policies.py).
        connect_weight: weight of a member's connection to the leader (0 turns it off).
        min_value_per_wan: a placement must add at least this much covered value per
            万元 it costs, so leftover budget is not spent on near-nothing.
        providers: the offerings' providers by id: an offering goes only to members in
            its provider's service regions.

    Returns:
        `ChainProposal` with per-member plans in roll-out order (tier 1 before tier 2,
        critical and low-level members first), group purchases, totals and a summary.
    """
    ranked = critical_members(region, chain)
    crit = {c.id: c.score for c in ranked}
    flagged = {c.id for c in ranked if c.critical}
    problem = build_problem(
        region, chain, needs=needs, solutions=solutions, scores=scores, criticality=crit,
        budget_wan=budget_wan, discount=discount, group_min=group_min, cover_at=cover_at,
        connect_weight=connect_weight, per_member=per_member, min_value_per_wan=min_value_per_wan,
        providers=providers,
    )
    selection = solve_coverage(problem)
    by_id = {s.id: s for s in solutions}
    counts: dict[str, int] = defaultdict(int)
    for sol_id, _m in selection.pairs:
        counts[sol_id] += 1
    unit = {s: offering_cost(problem, s, n) / n for s, n in counts.items()}
    plans = _member_plans(region, chain, selection, problem, needs, by_id, unit, crit, flagged,
                          subsidy_fn or policy_subsidy)
    proposal = ChainProposal(
        leader_id=chain.leader_id, budget_wan=budget_wan, discount=discount, group_min=group_min,
        members=plans, not_reached=_not_reached(region, chain, plans, problem),
        group_purchases=_group_purchases(problem, counts, by_id),
        waves=[{"wave": w, "label_zh": WAVE_LABELS[w], "member_ids": [p.id for p in plans if p.wave == w]}
               for w in sorted({p.wave for p in plans})],
        totals=_totals(region, chain, plans, selection, problem, needs),
    )
    proposal.explanation_zh = _summary(proposal)
    if not any(CONNECT_SCENARIO in s.scenarios for s in solutions):
        proposal.notes_zh.append("方案库中没有供应链协同类产品，成员接入链主系统的需求未能安排。")
    unconnected = [m for m in chain.members if f"connect:{m}" not in _reachable_items(problem)]
    if connect_weight > 0 and unconnected:
        proposal.notes_zh.append(f"有 {len(unconnected)} 家成员在方案库中找不到适合其规模和行业的协同产品，"
                                 "需链主开放自有平台的轻量接入方式。")
    return proposal


def _member_plans(
    region: Region, chain: Chain, selection: Selection, problem: CoverageProblem,
    needs: Mapping[str, Sequence[NeedRecord]], by_id: Mapping[str, SolutionRecord],
    unit: Mapping[str, float], crit: Mapping[str, float], flagged: set[str], subsidy_fn: SubsidyFn,
) -> list[MemberPlan]:
    placed: dict[str, list[str]] = defaultdict(list)
    for sol_id, member_id in selection.pairs:
        placed[member_id].append(sol_id)
    def key(m: str) -> tuple[Any, ...]:
        member, level = chain.members[m], region.enterprises[m].level
        wave = _wave(member, m in flagged, is_below_bar(level))
        return (wave, member.tier, -round(crit.get(m, 0.0), 3), level_number(level), m)

    order = sorted(placed, key=key)
    plans = []
    for position, member_id in enumerate(order, start=1):
        plans.append(_plan(region, chain.members[member_id], placed[member_id], problem, needs,
                           by_id, unit, crit, member_id in flagged, subsidy_fn, position))
    return plans


def _plan(
    region: Region, member: ChainMember, sol_ids: list[str], problem: CoverageProblem,
    needs: Mapping[str, Sequence[NeedRecord]], by_id: Mapping[str, SolutionRecord],
    unit: Mapping[str, float], crit: Mapping[str, float], critical: bool, subsidy_fn: SubsidyFn,
    position: int,
) -> MemberPlan:
    ent = region.enterprises[member.id]
    visible = list(needs.get(member.id, ()))
    offerings = []
    covered: set[str] = set()
    for sol_id in sorted(sol_ids):
        sol = by_id[sol_id]
        items = problem.covers[(sol_id, member.id)]
        need_ids = sorted(i for i in items if not i.startswith("connect:"))
        covered.update(need_ids)
        offerings.append(PlacedOffering(
            solution_id=sol.id, name=sol.name, provider_id=sol.provider_id, scenarios=list(sol.scenarios),
            list_price_wan=sol.price_wan, price_wan=round(unit[sol_id], 4), need_ids=need_ids,
            connects_to_leader=f"connect:{member.id}" in items,
        ))
    cost = round(sum(o.price_wan for o in offerings), 4)
    weight_all = sum(problem.weights[n.id] for n in visible)
    weight_cov = sum(problem.weights[n] for n in covered)
    after = expected_level(ent.level, [by_id[s] for s in sol_ids],
                           weight_cov / weight_all if weight_all else None)
    amount, reason = subsidy_fn(ent, cost, after)
    below = is_below_bar(ent.level)
    return MemberPlan(
        id=member.id, name=ent.name, tier=member.tier, relation=member.relation,
        city=city(ent.region), order=position, wave=_wave(member, critical, below),
        criticality=round(crit.get(member.id, 0.0), 4), level_before=ent.level or "未评测",
        level_after=after, offerings=offerings, cost_wan=cost, subsidy_wan=round(amount, 4),
        subsidy_reason_zh=reason, net_wan=round(cost - amount, 4), needs_covered=len(covered),
        needs_visible=len(visible),
        reason_zh=_plan_reason(member, critical, below, offerings, len(covered), len(visible)),
    )


def _plan_reason(member: ChainMember, critical: bool, below: bool, offerings: list[PlacedOffering],
                 covered: int, visible: int) -> str:
    why = [tier_label(member.tier)]
    if critical:
        why.append("链上关键成员")
    if below:
        why.append("数字化水平低于二级")
    text = "、".join(why) + "。"
    if any(o.connects_to_leader for o in offerings):
        text += "配置供应链协同产品，接入链主系统。"
    if visible:
        text += f"覆盖其已开放的 {visible} 条需求中的 {covered} 条。"
    else:
        text += "该成员未向链主开放需求，仅安排与链主的协同对接。"
    return text


def _not_reached(region: Region, chain: Chain, plans: list[MemberPlan],
                 problem: CoverageProblem) -> list[dict[str, str]]:
    reached = {p.id for p in plans}
    best_ratio: dict[str, float] = {}
    for (sol_id, member_id), covered in problem.covers.items():
        value = sum(problem.weights[i] * d for i, d in covered.items())
        ratio = value / problem.price[sol_id] if problem.price[sol_id] > 0 else float("inf")
        best_ratio[member_id] = max(best_ratio.get(member_id, 0.0), ratio)
    out = []
    for member_id in sorted(chain.members):
        if member_id in reached:
            continue
        if member_id not in best_ratio:
            why = "方案库中暂无匹配的产品"
        elif best_ratio[member_id] < problem.min_ratio:
            why = "可选产品价格偏高、投入产出比低，暂不安排"
        else:
            why = "预算不足，留待下一轮"
        out.append({"id": member_id, "name": region.enterprises[member_id].name, "reason_zh": why})
    return out


def _group_purchases(problem: CoverageProblem, counts: Mapping[str, int],
                     by_id: Mapping[str, SolutionRecord]) -> list[GroupPurchase]:
    rows = []
    for sol_id, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if n < 2:
            continue
        total = offering_cost(problem, sol_id, n)
        list_unit = problem.price[sol_id]
        rows.append(GroupPurchase(
            solution_id=sol_id, name=by_id[sol_id].name, members=n, list_unit_wan=list_unit,
            unit_wan=round(total / n, 4), total_wan=round(total, 4),
            saving_wan=round(list_unit * n - total, 4),
        ))
    return rows


def _totals(region: Region, chain: Chain, plans: list[MemberPlan], selection: Selection,
            problem: CoverageProblem, needs: Mapping[str, Sequence[NeedRecord]]) -> dict[str, float]:
    list_total = sum(o.list_price_wan for p in plans for o in p.offerings)
    cost = sum(p.cost_wan for p in plans)
    subsidy = sum(p.subsidy_wan for p in plans)
    reachable = _reachable_value(problem)
    visible = sum(len(needs.get(m, ())) for m in chain.members)
    below_before = sum(1 for m in chain.members if is_below_bar(region.enterprises[m].level))
    lifted = sum(1 for p in plans if is_below_bar(p.level_before) and not is_below_bar(p.level_after))
    return {
        "members": len(chain.members), "members_reached": len(plans),
        "offerings": len({o.solution_id for p in plans for o in p.offerings}),
        "placements": len(selection.pairs),
        "list_total_wan": round(list_total, 4), "group_total_wan": round(cost, 4),
        "group_saving_wan": round(list_total - cost, 4), "subsidy_wan": round(subsidy, 4),
        "net_wan": round(cost - subsidy, 4), "coverage_value": round(selection.value, 4),
        "coverage_share": round(selection.value / reachable, 4) if reachable else 0.0,
        "needs_visible": visible, "needs_covered": sum(p.needs_covered for p in plans),
        "connected": sum(1 for p in plans if any(o.connects_to_leader for o in p.offerings)),
        "below_bar_before": below_before, "lifted_to_bar": lifted,
    }


def _reachable_items(problem: CoverageProblem) -> set[str]:
    return {item for covered in problem.covers.values() for item in covered}


def _reachable_value(problem: CoverageProblem) -> float:
    best: dict[str, float] = {}
    for covered in problem.covers.values():
        for item, degree in covered.items():
            best[item] = max(best.get(item, 0.0), degree)
    return sum(problem.weights[i] * d for i, d in best.items())


def _summary(p: ChainProposal) -> str:
    t = p.totals
    if p.members and not t["needs_visible"]:
        return (f"成员均未向链主开放需求，本方案在 {p.budget_wan:g} 万元预算内只安排 {t['connected']:g} 家成员"
                f"与链主的协同对接，按集采价合计 {t['group_total_wan']:.2f} 万元；各成员的改造需求待其开放后再纳入。")
    if not p.members:
        return f"在 {p.budget_wan:g} 万元预算内未能安排任何产品：预算不足或方案库中没有匹配的产品。"
    return (
        f"在 {p.budget_wan:g} 万元预算内，为 {t['members_reached']:g} 家成员（共 {t['members']:g} 家）"
        f"配置 {t['offerings']:g} 种产品、{t['placements']:g} 项部署，覆盖已开放需求 "
        f"{t['needs_covered']:g}/{t['needs_visible']:g} 条（加权覆盖率 {round(t['coverage_share'] * 100)}%），"
        f"{t['connected']:g} 家接入链主协同系统。按集采价合计 {t['group_total_wan']:.2f} 万元"
        f"（节省 {t['group_saving_wan']:.2f} 万元），预计补贴 {t['subsidy_wan']:.2f} 万元，"
        f"成员自付 {t['net_wan']:.2f} 万元；预计 {t['lifted_to_bar']:g} 家由低于二级提升到二级。"
    )
