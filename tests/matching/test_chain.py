"""The supply-chain graph, its analyses and the chain proposal (matching/chain*.py)."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import networkx as nx
import pytest

from catalog.regions import city as city_of
from matching.chains.analysis import (
    analyse_chain,
    build_region,
    centrality,
    critical_members,
    glance,
    region_overview,
    visible_needs,
)
from matching.chains.coverage import (
    CoverageProblem,
    coverage_value,
    offering_cost,
    selection_cost,
    solve_coverage,
)
from matching.chains.graph import Chain, LinkRecord, graph_json
from matching.chains.needs import leader_systems, shared_needs
from matching.chains.proposal import propose_chain
from matching.chains.rules import connects, expected_level
from matching.records import EnterpriseRecord, NeedRecord, SolutionRecord, load_enterprises

DEV_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev"
SHARED_MEMBER = "昌吉北庭电气成套设备有限公司"


def ent(eid: str, level: str = "一级", region: str = "河南省新乡市长垣市", industry: str = "C343",
        size: str = "规下") -> EnterpriseRecord:
    return EnterpriseRecord(id=eid, name=f"{eid}公司", region=region, industry=industry,
                            size=size, level=level)


def need(owner: str, code: str, scenario: str | None, text: str, priority: str = "中") -> NeedRecord:
    return NeedRecord(id=f"{owner}/{code}", enterprise_id=owner, text=text, scenario=scenario,
                      priority=priority)


def sol(code: str, scenarios: tuple[str, ...], price: float, target: str | None = None) -> SolutionRecord:
    return SolutionRecord(id=code, name=f"产品{code}", provider_id="P1", industries=("通用",),
                          scenarios=scenarios, price_wan=price, target_level=target)


def hand_built() -> tuple[list[EnterpriseRecord], list[LinkRecord]]:
    """Leader L; A main supplier (60%) with two sub-suppliers; B also in chain M; C a customer."""
    ids = ["L", "M", "A", "A1", "A2", "B", "C", "D"]
    ents = [ent(i) for i in ids]
    links = [
        LinkRecord("L", "A", "供应商", share=0.6),
        LinkRecord("L", "A1", "供应商", via_id="A", share=0.3),
        LinkRecord("L", "A2", "供应商", via_id="A", share=0.2),
        LinkRecord("L", "B", "供应商", share=0.1),
        LinkRecord("L", "C", "客户"),
        LinkRecord("L", "D", "供应商", share=0.3),
        LinkRecord("M", "B", "供应商", share=0.2),
    ]
    return ents, links


def dev_region():
    enterprises, needs = load_enterprises(DEV_DATA / "enterprises.json")
    raw = json.loads((DEV_DATA / "chains.json").read_text("utf-8"))["links"]
    links = [LinkRecord(r["leader_uscc"], r["member_uscc"], r["relation"], r["via_uscc"], r["share"])
             for r in raw]
    return build_region(enterprises=enterprises, links=links), needs


# --- the graph ---------------------------------------------------------------------------

def test_tiers_follow_via_chains_to_any_depth() -> None:
    links = [
        LinkRecord("L", "T1", "供应商", share=0.5),
        LinkRecord("L", "T2", "供应商", via_id="T1", share=0.5),
        LinkRecord("L", "T3", "外协", via_id="T2", share=0.4),
    ]
    region = build_region(enterprises=[ent(i) for i in ("L", "T1", "T2", "T3")], links=links)
    chain = region.chains["L"]
    assert {m.id: m.tier for m in chain.members.values()} == {"T1": 1, "T2": 2, "T3": 3}
    assert chain.members["T3"].effective_share == pytest.approx(0.5 * 0.5 * 0.4)
    assert sorted(chain.graph.edges) == [("L", "T1"), ("T1", "T2"), ("T2", "T3")]
    assert chain.warnings == []


def test_a_via_outside_the_chain_or_a_via_cycle_is_reported_not_fatal() -> None:
    links = [
        LinkRecord("L", "X", "供应商", via_id="NOPE"),
        LinkRecord("L", "P", "供应商", via_id="Q"),
        LinkRecord("L", "Q", "供应商", via_id="P"),
    ]
    region = build_region(enterprises=[ent(i) for i in ("L", "X", "P", "Q")], links=links)
    chain = region.chains["L"]
    assert chain.members["X"].tier == 2
    assert len(chain.warnings) == 3
    assert any("不在本链中" in w for w in chain.warnings)
    assert any("环路" in w for w in chain.warnings)
    assert nx.is_arborescence(chain.graph)


def test_dev_chains_have_tiers_and_one_shared_member() -> None:
    region, _needs = dev_region()
    assert len(region.chains) == 3
    for chain in region.chains.values():
        assert sorted({m.tier for m in chain.members.values()}) == [1, 2]
    shared = [e for e, leaders in region.memberships.items() if len(leaders) > 1]
    assert [region.enterprises[e].name for e in shared] == [SHARED_MEMBER]
    in_chains = [c for c in region.chains.values() if shared[0] in c.members]
    assert len(in_chains) == 2
    for chain in in_chains:
        assert glance(region, chain).shared_members == 1
        row = next(c for c in critical_members(region, chain) if c.id == shared[0])
        assert row.other_chains and any("2 条产业链" in r for r in row.reasons_zh)
    overview = region_overview(region)
    assert [s["name"] for s in overview["shared"]] == [SHARED_MEMBER]


def test_glance_counts_and_the_pilot_bar() -> None:
    ents, links = hand_built()
    ents = [e if e.id != "C" else ent("C", level="三级") for e in ents]
    region = build_region(enterprises=ents, links=links)
    g = glance(region, region.chains["L"])
    assert g.member_count == 6
    assert g.by_tier == {"一级配套": 4, "二级配套": 2}
    assert g.by_relation == {"供应商": 5, "客户": 1}
    assert g.below_bar == 5 and "C" not in g.below_bar_ids
    assert "低于二级" in g.explanation_zh


def test_city_of_reads_the_prefecture() -> None:
    assert city_of("江西省九江市湖口县") == "九江市"
    assert city_of("新疆维吾尔自治区昌吉回族自治州昌吉市") == "昌吉回族自治州"
    assert city_of("上海市松江区") == "上海市"
    assert city_of("") == "未知"


def test_graph_json_has_every_member_and_link() -> None:
    region, _ = dev_region()
    chain = next(iter(region.chains.values()))
    data = graph_json(region, chain, needs_count={})
    assert len(data["nodes"]) == len(chain.members) + 1
    assert len(data["edges"]) == len(chain.members)
    assert sum(1 for n in data["nodes"] if n["is_leader"]) == 1
    assert all(n["needs_count"] is None for n in data["nodes"])


# --- criticality ---------------------------------------------------------------------------

def test_criticality_ranking_on_a_hand_built_chain() -> None:
    ents, links = hand_built()
    region = build_region(enterprises=ents, links=links)
    ranked = critical_members(region, region.chains["L"])
    order = [c.id for c in ranked]
    assert order[0] == "A"  # main supplier, 60%, two sub-suppliers through it
    assert order.index("D") < order.index("B") < order.index("C")
    assert order[-1] == "C"  # a customer with no share, nothing below it, one chain
    top = ranked[0]
    assert top.single_source and top.reached_through == 2 and top.critical
    assert any("60%" in r for r in top.reasons_zh)
    b = next(c for c in ranked if c.id == "B")
    assert b.other_chains == ["M"]
    assert not next(c for c in ranked if c.id == "C").critical


def test_tree_betweenness_equals_networkx() -> None:
    rng = random.Random(3)
    for n in (3, 7, 30, 120):
        tree = nx.DiGraph()
        tree.add_node("n0")
        for i in range(1, n):
            tree.add_edge(f"n{rng.randrange(i)}", f"n{i}")
        chain = Chain(leader_id="n0", members={}, graph=tree)
        ours = centrality(chain)
        theirs = nx.betweenness_centrality(tree.to_undirected(), normalized=True)
        assert ours == pytest.approx(theirs)


# --- shared needs and the leader's systems -------------------------------------------------

def test_shared_needs_cluster_by_scenario_and_split_common_from_specific() -> None:
    ents, links = hand_built()
    region = build_region(enterprises=ents, links=links)
    needs = {
        "A": [need("A", "N1", "质量管控", "出厂检验数据想自动采集")],
        "A1": [need("A1", "N1", "质量管控", "出厂检验数据要自动采集"),
               need("A1", "N2", "财务管理", "应收账款对不上")],
        "B": [need("B", "N1", None, "出厂检验数据想自动采集，出报告")],
        "D": [need("D", "N1", "质量管控", "客户审核要追溯记录")],
    }
    result = shared_needs(region, region.chains["L"], needs=needs, infer=lambda _t: [])
    assert result.members_with_needs == 4 and result.members_hidden == 2
    assert [c.scenario for c in result.common] == ["质量管控"]
    quality = result.common[0]
    assert quality.member_count == 4 and quality.inferred == 1  # B's blank one, from its text
    assert quality.topics[0].member_count == 3  # the three 自动采集 needs say the same thing
    assert [c.scenario for c in result.specific] == ["财务管理"]
    assert "共性需求" in result.explanation_zh


def test_leader_systems_are_read_from_its_needs() -> None:
    region, needs = dev_region()
    found = {}
    for leader, chain in region.chains.items():
        own = [n for n in needs if n.enterprise_id == leader]
        found[region.enterprises[leader].name] = leader_systems(region, chain, leader_needs=own)
    names = {k: [s.name for s in v] for k, v in found.items()}
    assert "产业链协同平台" in names["九江鄱湾化学集团股份有限公司"]
    assert "集团供应链协同平台" in names["新疆庭州电工装备集团股份有限公司"]
    for systems in found.values():
        assert systems and all(s.member_count > 0 and s.explanation_zh for s in systems)


# --- privacy ---------------------------------------------------------------------------------

def test_members_needs_reach_the_leader_only_with_consent() -> None:
    ents, links = hand_built()
    region = build_region(enterprises=ents, links=links)
    chain = region.chains["L"]
    all_needs = [
        need("L", "N1", "供应链协同", "要带动供应商接入协同平台，统一订单", "高"),
        need("A", "N1", "质量管控", "甲公司秘密：检验数据靠手抄"),
        need("B", "N1", "质量管控", "乙公司公开：检验数据要电子化"),
    ]
    consent = {"A": False, "B": True}
    leader_view = visible_needs(needs=all_needs, consent=consent, viewer_id="L")
    assert set(leader_view) == {"L", "B"}
    bureau_view = visible_needs(needs=all_needs, consent={}, viewer_id=None, viewer_is_bureau=True)
    assert set(bureau_view) == {"L", "A", "B"}
    other_leader = visible_needs(needs=all_needs, consent={}, viewer_id="M")
    assert other_leader == {}

    solutions = [sol("S1", ("质量管控",), 2.0), sol("S2", ("供应链协同",), 1.0)]

    def score(n: NeedRecord, s: SolutionRecord) -> float:
        return 1.0 if n.scenario in s.scenarios else 0.0

    analysis = json.dumps(analyse_chain(region, chain, needs=leader_view).as_dict(), ensure_ascii=False)
    proposal = propose_chain(region, chain, needs=leader_view, solutions=solutions, scores=score,
                             budget_wan=100, subsidy_fn=lambda e, spend, lv: (0.0, "无"))
    shown = json.dumps(proposal.as_dict(), ensure_ascii=False)
    for text in (analysis, shown):
        assert "甲公司秘密" not in text and "A/N1" not in text
    assert "乙公司公开" in analysis and "B/N1" in shown
    plan_a = next(p for p in proposal.members if p.id == "A")
    assert plan_a.needs_visible == 0 and [o.solution_id for o in plan_a.offerings] == ["S2"]
    assert plan_a.level_after == plan_a.level_before
    assert "未向链主开放需求" in plan_a.reason_zh

    bureau = json.dumps(analyse_chain(region, chain, needs=bureau_view).as_dict(), ensure_ascii=False)
    assert "甲公司秘密" in bureau


# --- coverage --------------------------------------------------------------------------------

def brute_force(problem: CoverageProblem) -> float:
    pairs = sorted(problem.covers)
    best = 0.0
    for r in range(len(pairs) + 1):
        for combo in itertools.combinations(pairs, r):
            if selection_cost(problem, combo) <= problem.budget + 1e-9:
                best = max(best, coverage_value(problem, combo))
    return best


def random_problem(rng: random.Random) -> CoverageProblem:
    members = [f"m{i}" for i in range(rng.randint(3, 5))]
    offerings = [f"s{i}" for i in range(rng.randint(2, 4))]
    weights = {f"{m}/n{k}": rng.choice([1.0, 2.0, 3.0]) * rng.uniform(1, 2)
               for m in members for k in range(rng.randint(1, 3))}
    covers = {}
    for o in offerings:
        for m in members:
            items = {i: rng.choice([0.6, 0.8, 1.0]) for i in weights if i.startswith(m + "/")
                     and rng.random() < 0.5}
            if items and len(covers) < 12:
                covers[(o, m)] = items
    price = {o: rng.choice([1.0, 2.0, 5.0, 8.0]) for o in offerings}
    total = sum(price[o] for o, _ in covers)
    return CoverageProblem(weights=weights, covers=covers, price=price,
                           budget=round(total * rng.uniform(0.2, 0.7), 1),
                           discount=rng.choice([0.0, 0.1, 0.3]), group_min=rng.choice([2, 3]))


def test_coverage_is_near_optimal_on_small_cases() -> None:
    rng = random.Random(20261123)
    ratios = []
    for _ in range(60):
        problem = random_problem(rng)
        found = solve_coverage(problem)
        assert found.cost <= problem.budget + 1e-9
        assert found.value == pytest.approx(coverage_value(problem, found.pairs))
        optimum = brute_force(problem)
        ratios.append(found.value / optimum if optimum else 1.0)
    assert min(ratios) >= 0.95
    assert sum(ratios) / len(ratios) >= 0.99


def test_the_best_single_placement_beats_a_greedy_trap() -> None:
    # A cheap small item has the best ratio, but then the big one no longer fits.
    problem = CoverageProblem(
        weights={"a": 1.0, "b": 10.0}, covers={("cheap", "m1"): {"a": 1.0}, ("big", "m2"): {"b": 1.0}},
        price={"cheap": 0.05, "big": 10.0}, budget=10.0,
    )
    assert solve_coverage(problem).pairs == [("big", "m2")]


def test_group_discount_applies_from_group_min() -> None:
    problem = CoverageProblem(weights={}, covers={}, price={"s": 10.0}, budget=0, discount=0.2, group_min=3)
    assert offering_cost(problem, "s", 2) == pytest.approx(20.0)
    assert offering_cost(problem, "s", 3) == pytest.approx(24.0)
    # The discount makes a third placement fit a budget that two alone nearly fill.
    problem = CoverageProblem(
        weights={"a": 1, "b": 1, "c": 1},
        covers={("s", "m1"): {"a": 1.0}, ("s", "m2"): {"b": 1.0}, ("s", "m3"): {"c": 1.0}},
        price={"s": 10.0}, budget=25.0, discount=0.2, group_min=3,
    )
    assert len(solve_coverage(problem).pairs) == 3


# --- the proposal ----------------------------------------------------------------------------

def test_proposal_order_costs_subsidy_and_levels() -> None:
    ents, links = hand_built()
    ents = [e if e.id != "D" else ent("D", level="三级") for e in ents]
    region = build_region(enterprises=ents, links=links)
    chain = region.chains["L"]
    needs = {m: [need(m, "N1", "质量管控", "检验数据要电子化", "高")] for m in chain.members}
    solutions = [sol("Q", ("质量管控",), 10.0, target="二级"), sol("X", ("供应链协同",), 2.0)]
    calls = []

    def subsidy(member: EnterpriseRecord, spend: float, level_after: str) -> tuple[float, str]:
        calls.append((member.id, level_after))
        return spend * 0.5, "测试政策"

    def score(n: NeedRecord, s: SolutionRecord) -> float:
        return 1.0 if n.scenario in s.scenarios else 0.0

    p = propose_chain(region, chain, needs=needs, solutions=solutions, scores=score,
                      budget_wan=200, discount=0.2, group_min=3, subsidy_fn=subsidy)
    assert len(p.members) == 6 and not p.not_reached
    tiers = [m.tier for m in p.members]
    assert tiers == sorted(tiers)
    assert p.members[0].id == "A"  # the most critical tier-1 member goes first
    assert p.waves[0]["wave"] == 1 and set(p.waves[-1]["member_ids"]) == {"A1", "A2"}
    assert {g.solution_id: g.unit_wan for g in p.group_purchases} == {"Q": 8.0, "X": 1.6}
    assert p.totals["group_total_wan"] == pytest.approx(6 * 9.6)
    assert p.totals["subsidy_wan"] == pytest.approx(p.totals["group_total_wan"] / 2)
    a = next(m for m in p.members if m.id == "A")
    assert (a.level_before, a.level_after) == ("一级", "二级")
    d = next(m for m in p.members if m.id == "D")
    assert d.level_after == "三级"
    assert ("A", "二级") in calls
    assert p.totals["lifted_to_bar"] == 5
    assert "万元预算" in p.explanation_zh

    tight = propose_chain(region, chain, needs=needs, solutions=solutions, scores=score,
                          budget_wan=5, subsidy_fn=subsidy)
    assert tight.totals["group_total_wan"] <= 5
    assert tight.not_reached and all("预算" in r["reason_zh"] for r in tight.not_reached)


def test_expected_level_steps_at_most_one_rung() -> None:
    q2, q4 = sol("a", (), 1, target="二级"), sol("b", (), 1, target="四级")
    assert expected_level("一级", [q4], 0.0) == "二级"
    assert expected_level("未评测", [q2], 0.0) == "二级"
    assert expected_level("三级", [q2], 1.0) == "三级"
    assert expected_level("三级", [sol("c", (), 1)], 0.6) == "四级"
    assert expected_level("二级", [sol("c", (), 1)], 0.2) == "二级"
    assert expected_level("一级", [q4], None) == "一级"  # needs not visible: no forecast


def test_only_offerings_facing_the_member_connect_it_to_the_leader() -> None:
    srm = sol("srm", ("采购供应", "供应链协同"), 6)
    orders = sol("ord", ("营销销售", "供应链协同"), 2)
    platform = sol("plat", ("供应链协同",), 10)
    tms = sol("tms", ("仓储物流", "供应链协同"), 1.6)
    assert connects(srm, "供应商") and not connects(srm, "客户")
    assert connects(orders, "客户") and not connects(orders, "外协")
    assert connects(platform, "客户") and not connects(tms, "供应商")
    assert not connects(sol("mes", ("生产过程管控",), 5), "供应商")


def test_dev_chains_analyse_and_propose_with_the_city_policies() -> None:
    region, needs = dev_region()
    everyone = visible_needs(needs=needs, consent={}, viewer_id=None, viewer_is_bureau=True)
    solutions = [sol("C1", ("供应链协同",), 3.0), sol("C2", ("质量管控",), 8.0, target="二级")]

    def score(n: NeedRecord, s: SolutionRecord) -> float:
        return 1.0 if n.scenario in s.scenarios else 0.0

    for chain in region.chains.values():
        analysis = analyse_chain(region, chain, needs=everyone)
        assert analysis.shared_needs.common and analysis.leader_systems
        proposal = propose_chain(region, chain, needs=everyone, solutions=solutions, scores=score,
                                 budget_wan=60)
        assert proposal.totals["group_total_wan"] <= 60
        xinxiang = [m for m in proposal.members if m.city == "新乡市" and m.level_after == "二级"]
        for plan in xinxiang:
            assert plan.subsidy_wan == pytest.approx(plan.cost_wan * 0.5)
            assert "新乡" in plan.subsidy_reason_zh


def test_placements_adding_too_little_per_wan_are_left_out() -> None:
    problem = CoverageProblem(
        weights={"a": 3.0}, covers={("cheap", "m1"): {"a": 0.6}, ("dear", "m1"): {"a": 1.0}},
        price={"cheap": 2.0, "dear": 80.0}, budget=100.0, min_ratio=0.05,
    )
    assert solve_coverage(problem).pairs == [("cheap", "m1")]  # +1.2 for 80 万 is not worth it
    problem.min_ratio = 0.0
    assert solve_coverage(problem).value == pytest.approx(3.0)


_ANALYSE_ALL = """
import json, sys
sys.path.insert(0, {tests!r})
from test_chain import dev_region
from matching.chains.analysis import analyse_chain
region, needs = dev_region()
by_owner = {{}}
for n in needs:
    by_owner.setdefault(n.enterprise_id, []).append(n)
print(json.dumps([analyse_chain(region, chain, needs=by_owner).as_dict() for _, chain in sorted(region.chains.items())],
                 ensure_ascii=False, sort_keys=True, default=str))
"""


def test_an_analysis_reads_the_same_in_every_process() -> None:
    """Whatever order a process hashes strings in, the analysis says the same words in the
    same order (the needs' common cues among them)."""
    import os
    import subprocess
    import sys

    script = _ANALYSE_ALL.format(tests=str(Path(__file__).parent))
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and outputs.pop().startswith("[")
