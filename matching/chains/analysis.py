"""Analyses of a supply chain: at a glance, critical members, region overview, privacy.

Pure: a `Region` (see `matching.chains.graph`) and plain records in, dataclasses with
Chinese explanations out. Shared needs and the leader's systems are in
`matching.chains.needs`; the proposal in `matching.chains.proposal`.

Privacy: a member's needs reach the leader only if the member agreed
(`Enterprise.share_needs_with_chain`); every function here that reads needs takes
the needs the viewer may see, decided once by `visible_needs`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from catalog.regions import city
from catalog.taxonomy import level_names, level_number
from matching.chains.graph import (
    SUPPLIER,
    Chain,
    ChainMember,
    LinkRecord,
    Region,
    build_region,
    graph_json,
    industry_label,
    is_below_bar,
)
from matching.chains.needs import LeaderSystem, SharedNeeds, leader_systems, shared_needs
from matching.records import NeedRecord, SolutionRecord

__all__ = [
    "ChainAnalysis", "CriticalMember", "Glance", "LinkRecord", "Region", "analyse_chain",
    "build_region", "centrality", "critical_members", "glance", "graph_json", "region_overview",
    "visible_needs",
]

SINGLE_SOURCE_SHARE = 0.5
WEIGHTS = {"share": 0.45, "single_source": 0.25, "centrality": 0.2, "shared": 0.1}
SAMPLE_ABOVE = 1000  # nodes above which a non-tree graph's betweenness is sampled
SAMPLE_K = 200


def visible_needs(
    *, needs: Iterable[NeedRecord], consent: Mapping[str, bool], viewer_id: str | None,
    viewer_is_bureau: bool = False,
) -> dict[str, list[NeedRecord]]:
    """The needs a viewer of a chain may see, per enterprise.

    Args:
        needs: every need of the chain's enterprises.
        consent: enterprise id → whether it agreed to share its needs with its chains
            (`Enterprise.share_needs_with_chain`); missing means no.
        viewer_id: the viewing enterprise (the leader); it always sees its own needs.
        viewer_is_bureau: the bureau sees every need of its region.

    Returns:
        enterprise id → its visible needs, in the given order; enterprises with
        nothing visible are absent.
    """
    shown: dict[str, list[NeedRecord]] = {}
    for need in needs:
        owner = need.enterprise_id
        if viewer_is_bureau or owner == viewer_id or consent.get(owner, False):
            shown.setdefault(owner, []).append(need)
    return shown


@dataclass
class Glance:
    """The chain at a glance: who is in it, where, how digital."""

    leader_id: str
    leader_name: str
    member_count: int
    by_tier: dict[str, int]
    by_relation: dict[str, int]
    by_industry: dict[str, int]
    by_city: dict[str, int]
    by_level: dict[str, int]
    below_bar: int
    below_bar_ids: list[str]
    shared_members: int
    explanation_zh: str


_NUMERALS = "零一二三四五六七八九十"


def tier_label(tier: int) -> str:
    """1 → 一级配套, 2 → 二级配套 …"""
    return f"{_NUMERALS[tier] if 0 <= tier <= 10 else tier}级配套"


def _counted(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda item: (-item[1], item[0])))


def glance(region: Region, chain: Chain) -> Glance:
    """Counts of the chain's members by tier, relation, industry, city and digital level.

    Returns:
        A `Glance` whose `explanation_zh` summarises it in one paragraph, including how
        many members are below 二级 (the pilot's bar; 未评测 counts as below).
    """
    members = [region.enterprises[m] for m in chain.members]
    levels = Counter(e.level or "未评测" for e in members)
    below = sorted(e.id for e in members if is_below_bar(e.level))
    shared = sum(1 for m in chain.members.values() if len(m.chains) > 1)
    leader = region.enterprises[chain.leader_id]
    result = Glance(
        leader_id=leader.id, leader_name=leader.name, member_count=len(members),
        by_tier={tier_label(t): n for t, n in sorted(Counter(m.tier for m in chain.members.values()).items())},
        by_relation=_counted(m.relation for m in chain.members.values()),
        by_industry=_counted(industry_label(e.industry) for e in members),
        by_city=_counted(city(e.region) for e in members),
        by_level={lv: levels[lv] for lv in level_names() if levels[lv]}
        | {lv: n for lv, n in sorted(levels.items()) if lv not in level_names()},
        below_bar=len(below), below_bar_ids=below, shared_members=shared, explanation_zh="",
    )
    result.explanation_zh = _glance_text(result)
    return result


def _glance_text(g: Glance) -> str:
    if not g.member_count:
        return f"{g.leader_name} 的产业链尚未登记成员。"
    tiers = "、".join(f"{k} {v} 家" for k, v in g.by_tier.items())
    relations = "、".join(f"{k} {v} 家" for k, v in g.by_relation.items())
    cities = "、".join(list(g.by_city)[:3])
    pct = round(100 * g.below_bar / g.member_count)
    text = (f"{g.leader_name} 的产业链共有成员 {g.member_count} 家（{tiers}；{relations}），"
            f"主要分布在{cities}。其中 {g.below_bar} 家（{pct}%）数字化水平低于二级（试点达标线，"
            f"含未评测），是带动转型的重点。")
    if g.shared_members:
        text += f"有 {g.shared_members} 家同时在其他产业链中。"
    return text


@dataclass
class CriticalMember:
    """A member ranked by how much the chain depends on it, with the reasons in Chinese."""

    id: str
    name: str
    tier: int
    relation: str
    score: float
    critical: bool
    effective_share: float | None
    single_source: bool
    centrality: float
    reached_through: int  # members linked to the leader only through this one
    other_chains: list[str]
    main_supplier: bool = False  # supplies ≥ 50% of its buyer's purchases
    reasons_zh: list[str] = field(default_factory=list)


def centrality(chain: Chain) -> dict[str, float]:
    """Betweenness centrality of every node of the chain (undirected, normalised to 0–1).

    A chain is a tree rooted at its leader, where betweenness has a closed form from
    subtree sizes (exact, linear time). Other graphs use networkx, sampled with
    k = 200 pivots above 1,000 nodes (seeded, so results repeat).
    """
    graph = chain.graph
    n = graph.number_of_nodes()
    if n < 3:
        return dict.fromkeys(graph.nodes, 0.0)
    if nx.is_arborescence(graph):
        return _tree_betweenness(graph, chain.leader_id)
    undirected = graph.to_undirected(as_view=True)
    k = SAMPLE_K if n > SAMPLE_ABOVE else None
    return dict(nx.betweenness_centrality(undirected, k=k, seed=7 if k else None, normalized=True))


def subtree_sizes(tree: nx.DiGraph, root: str) -> dict[str, int]:
    """Nodes in each node's subtree, itself included."""
    size: dict[str, int] = {}
    for node in reversed(list(nx.dfs_preorder_nodes(tree, root))):
        size[node] = 1 + sum(size[c] for c in tree.successors(node))
    return size


def _tree_betweenness(tree: nx.DiGraph, root: str) -> dict[str, float]:
    """Pairs of other nodes whose path runs through each node, over all such pairs."""
    n = tree.number_of_nodes()
    size = subtree_sizes(tree, root)
    norm = (n - 1) * (n - 2) / 2
    scores: dict[str, float] = {}
    for node in tree.nodes:
        parts = [size[c] for c in tree.successors(node)]
        parts.append(n - size[node])
        inside = sum(p * (p - 1) / 2 for p in parts)
        scores[node] = ((n - 1) * (n - 2) / 2 - inside) / norm
    return scores


def _supplier_counts(chain: Chain) -> Counter[str]:
    """Per buyer in the chain, how many suppliers sit directly below it."""
    return Counter(m.via_id for m in chain.members.values()
                   if m.relation == SUPPLIER and m.via_id in chain.members)


def critical_members(region: Region, chain: Chain, *, top: int | None = None) -> list[CriticalMember]:
    """Members ranked by criticality to the chain, most critical first.

    Criticality weighs four signals (weights in `WEIGHTS`): the share of the leader's
    purchases depending on the member (shares multiplied along the via path, 50% and
    above counts in full); a single-source position (a main supplier with ≥ 50% of its
    buyer's purchases, or its buyer's only supplier in the chain); betweenness
    centrality in the chain (members others reach the leader through); and sitting in
    other chains too. Ties break by id, so the ranking repeats. With `top`, only the
    first `top` members are returned (and explained).
    """
    between = centrality(chain)
    peak = max((between[m] for m in chain.members), default=0.0) or 1.0
    suppliers = _supplier_counts(chain)
    sizes = (subtree_sizes(chain.graph, chain.leader_id) if nx.is_arborescence(chain.graph)
             else {m: 1 + len(chain.descendants(m)) for m in chain.members})
    ranked = [_critical(region, chain, m, between[m.id] / peak, suppliers) for m in chain.members.values()]
    ranked.sort(key=lambda c: (-c.score, c.id))
    ranked = ranked[:top] if top is not None else ranked
    for item in ranked:
        item.centrality = round(between[item.id], 4)
        item.reached_through = sizes.get(item.id, 1) - 1
        item.reasons_zh = _reasons(region, chain, chain.members[item.id], item)
    return ranked


def _critical(
    region: Region, chain: Chain, member: ChainMember, central: float, suppliers: Counter[str],
) -> CriticalMember:
    share = member.effective_share or 0.0
    main_supplier = member.relation == SUPPLIER and (member.share or 0.0) >= SINGLE_SOURCE_SHARE
    sole = (member.relation == SUPPLIER and member.via_id is not None
            and suppliers.get(member.via_id, 0) == 1)
    single = main_supplier or sole
    others = [c for c in member.chains if c != chain.leader_id]
    score = round(WEIGHTS["share"] * min(1.0, share / SINGLE_SOURCE_SHARE)
                  + WEIGHTS["single_source"] * (1.0 if single else 0.0)
                  + WEIGHTS["centrality"] * central
                  + WEIGHTS["shared"] * (1.0 if others else 0.0), 4)
    return CriticalMember(
        id=member.id, name=region.enterprises[member.id].name, tier=member.tier,
        relation=member.relation, score=score, critical=score >= 0.25,
        effective_share=member.effective_share, single_source=single, centrality=0.0,
        reached_through=0, other_chains=others, main_supplier=main_supplier,
    )


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def _reasons(region: Region, chain: Chain, member: ChainMember, item: CriticalMember) -> list[str]:
    names = region.enterprises
    reasons: list[str] = []
    if member.effective_share:
        if member.tier == 1:
            reasons.append(f"供应链主该类采购的 {_pct(member.effective_share)}")
        else:
            via = names[member.via_id].name if member.via_id in names else "上游成员"
            reasons.append(f"经 {via} 间接承担链主该类采购约 {_pct(member.effective_share)}")
    if item.main_supplier:
        reasons.append(f"是主要供货来源（占其下游采购 {_pct(member.share or 0.0)}），短期难以替代")
    elif item.single_source:
        reasons.append(f"是 {names[member.via_id or ''].name} 在链上的唯一供应商")
    if item.reached_through:
        reasons.append(f"有 {item.reached_through} 家下级配套经由它与链主相连（中介中心性 {item.centrality:.2f}）")
    if item.other_chains:
        leaders = "、".join(names[c].name for c in item.other_chains if c in names)
        reasons.append(f"同时在 {len(item.other_chains) + 1} 条产业链中（另有 {leaders}），波动会传导到多条链")
    if not reasons:
        reasons.append("采购占比和链上位置都不突出")
    return reasons


@dataclass
class ChainAnalysis:
    """Every analysis of one chain, ready for JSON."""

    glance: Glance
    critical: list[CriticalMember]
    shared_needs: SharedNeeds
    leader_systems: list[LeaderSystem]
    warnings: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def analyse_chain(
    region: Region, chain: Chain, *, needs: Mapping[str, Sequence[NeedRecord]],
    solutions_in_use: Sequence[SolutionRecord] = (),
    infer: Callable[[str], list[tuple[str, float]]] | None = None,
) -> ChainAnalysis:
    """All analyses of a chain: at a glance, critical members, shared needs, leader's systems.

    Args:
        needs: enterprise id → the needs the viewer may see (see `visible_needs`); the
            leader's own needs are read from here too.
        solutions_in_use: offerings the leader already runs (from its engagements).
        infer: scenario inference for needs with a blank scenario (defaults to the lexicon).
    """
    members = {m: list(needs.get(m, ())) for m in chain.members}
    return ChainAnalysis(
        glance=glance(region, chain),
        critical=critical_members(region, chain),
        shared_needs=shared_needs(region, chain, needs=members, infer=infer),
        leader_systems=leader_systems(
            region, chain, leader_needs=list(needs.get(chain.leader_id, ())),
            solutions_in_use=solutions_in_use,
        ),
        warnings=list(chain.warnings),
    )


def region_overview(region: Region, *, top_critical: int = 5) -> dict[str, Any]:
    """All chains of a region at a glance, for the bureau (JSON-ready).

    Returns:
        `chains`: per chain its glance and its `top_critical` most critical members;
        `shared`: enterprises sitting in more than one chain, most chains first;
        `explanation_zh`: one paragraph on the region.
    """
    rows = []
    for chain in region.chains.values():
        g = glance(region, chain)
        crit = [c for c in critical_members(region, chain, top=top_critical) if c.critical]
        rows.append({"glance": asdict(g), "critical": [asdict(c) for c in crit]})
    shared = sorted(((e, ls) for e, ls in region.memberships.items() if len(ls) > 1),
                    key=lambda item: (-len(item[1]), item[0]))
    members = {m for c in region.chains.values() for m in c.members}
    below = sum(1 for m in members if is_below_bar(region.enterprises[m].level))
    text = (f"本地区共有产业链 {len(region.chains)} 条、链上企业 {len(members)} 家（去重），"
            f"其中 {below} 家低于二级；{len(shared)} 家企业同时在多条链中。")
    return {
        "chains": rows,
        "shared": [{"id": e, "name": region.enterprises[e].name, "chains": list(ls)} for e, ls in shared],
        "member_total": len(members), "below_bar_total": below,
        "level_histogram": dict(Counter(level_number(region.enterprises[m].level) for m in members)),
        "explanation_zh": text,
    }

