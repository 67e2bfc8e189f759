"""Score components: each in [0, 1], ordered as the domain expects, explained in Chinese."""

from __future__ import annotations

import pytest
from match_builders import context, enterprise, need, provider, solution

from matching.scoring import candidates, rank, score

CRANE = "C343"


def _one(sol, ent=None, nd=None, prov=None):
    ctx = context([sol], [prov] if prov else None)
    return score(nd or need("起重机远程运维平台"), ent or enterprise(), sol,
                 prov or ctx.provider(sol.provider_id), ctx)


def test_every_component_is_in_unit_range_with_a_reason() -> None:
    match = _one(solution("S1", "起重机远程运维平台", industries=(CRANE,), price_wan=12,
                          scenarios=("售后服务", "设备管理运维")))
    assert 0.0 <= match.total <= 1.0
    assert {c.name for c in match.components} == {
        "text", "scenario", "industry", "size", "budget", "level", "region", "standing"}
    for component in match.components:
        assert 0.0 <= component.value <= 1.0
        assert component.reason_zh and component.label_zh


def test_industry_fit_orders_group_division_generic_other() -> None:
    values = [
        _one(solution("S", "起重机远程运维平台", industries=codes)).component("industry").value
        for codes in ((CRANE,), ("C34",), ("通用",), ("C26",))
    ]
    assert values[0] > values[1] > values[2] > values[3]


def test_blank_scenario_is_inferred_from_plain_words() -> None:
    """Learned from the catalogue: the listings whose words the need uses say what it is about."""
    sol = solution("S", "设备点巡检云", scenarios=("设备管理运维",), description="扫码点检，停机预警，保养提醒")
    other = solution("T", "客户管理CRM", scenarios=("营销销售",), description="销售线索与客户跟进")
    ctx = context([sol, other])
    nd = need("车间设备老是突然停机，不知道哪台要保养")
    fit = score(nd, enterprise(), sol, ctx.provider(sol.provider_id), ctx).component("scenario")
    assert fit.value == pytest.approx(1.0)
    assert "推断" in fit.reason_zh and "设备管理运维" in fit.reason_zh
    assert score(nd, enterprise(), other, ctx.provider(other.provider_id), ctx).component("scenario").value == 0.0


def test_budget_is_soft_and_shows_net_cost_after_subsidy() -> None:
    # 新乡, enterprise 二级, offering for 三级: 70% of 40 = 28 → net 12 against budget 6
    sol = solution("S", "起重机远程运维平台", price_wan=40, target_level="三级")
    match = _one(sol, ent=enterprise(budget_wan=6), nd=need("起重机远程运维平台"))
    budget = match.component("budget")
    assert match.net_wan == pytest.approx(12)
    assert budget.value == pytest.approx(0.5)
    assert "净支出12万元" in budget.reason_zh and "超出预算" in budget.reason_zh
    assert rank(need("起重机远程运维平台"), enterprise(budget_wan=6), context([sol]))


def test_size_level_region_and_standing() -> None:
    small_only = solution("S", "起重机远程运维平台", size_fit="规下", target_level="三级")
    m = _one(small_only, ent=enterprise(size="规上", level="二级"))
    assert m.component("size").value < 1.0
    assert m.component("level").value == 1.0  # 二级 → 三级: one step up
    assert _one(small_only, ent=enterprise(level="四级")).component("level").value < 1.0
    local = provider("P1", service_regions=("江西省",))
    assert _one(small_only, prov=local).component("region").value == 0.0
    assert _one(small_only, prov=provider("P1")).component("region").value == 1.0
    good = provider("P1", accepted=9, terminated=1, rating_sum=45, rating_count=10)
    bad = provider("P1", accepted=1, terminated=5, rating_sum=6, rating_count=3)
    assert (_one(small_only, prov=good).component("standing").value
            > _one(small_only, prov=bad).component("standing").value)


def test_synonyms_and_traditional_script_match() -> None:
    mes = solution("M", "汽配制造执行系统", keywords=("工单报工",))
    wms = solution("W", "仓储管理系统", scenarios=("仓储物流",))
    ctx = context([mes, wms])
    assert rank(need("MES"), enterprise(), ctx, k=1)[0].solution_id == "M"
    assert rank(need("倉庫管理系統"), enterprise(), ctx, k=1)[0].solution_id == "W"
    assert rank(need("倉庫管理系統"), enterprise(), ctx, k=1)[0].component("text").value > 0.5


def test_rank_agrees_with_score_and_prunes_to_the_limit() -> None:
    sols = [solution(f"S{i}", name, industries=(CRANE,) if i % 2 else ("通用",))
            for i, name in enumerate(["起重机远程运维平台", "进销存软件", "起重机安全监控",
                                      "能耗监测", "远程运维服务平台", "财务报销"])]
    ctx = context(sols)
    nd, ent = need("起重机远程运维"), enterprise()
    ranked = rank(nd, ent, ctx, k=3)
    assert ranked[0].solution_id == "S0"
    for m in ranked:
        again = score(nd, ent, ctx.solutions[ctx.position[m.solution_id]], ctx.provider("P1"), ctx)
        assert again.total == pytest.approx(m.total)
    assert len(candidates(nd, ent, ctx, limit=2)) == 2
    assert [m.total for m in ranked] == sorted((m.total for m in ranked), reverse=True)


def test_rank_keeps_the_best_k_of_every_candidate_scored_in_full() -> None:
    import random

    words = ["设备", "联网", "质量", "追溯", "排产", "能耗", "仓储", "巡检", "远程运维", "订单", "成本", "安全"]
    scenes = ["生产过程管控", "质量管控", "设备管理", "能源管理", "仓储物流"]
    pick = random.Random(7)
    sols = [solution(f"S{i}", "".join(pick.sample(words, 3)), scenarios=(pick.choice(scenes),),
                     industries=(pick.choice([CRANE, "通用", "C26"]),), price_wan=pick.choice([0.5, 3.0, 12.0, 40.0]),
                     target_level=pick.choice([None, "二级", "三级"]), provider_id=pick.choice(["P1", "P2"]))
            for i in range(80)]
    ctx = context(sols)
    for n in range(25):
        nd = need("".join(pick.sample(words, 2)), id=f"E1/N{n}", budget_wan=pick.choice([None, 5.0, 20.0]))
        ent = enterprise()
        every = sorted((score(nd, ent, ctx.solutions[i], ctx.provider(ctx.solutions[i].provider_id), ctx).total
                        for i in candidates(nd, ent, ctx)), reverse=True)
        ranked = rank(nd, ent, ctx, k=5)
        assert [m.total for m in ranked] == pytest.approx(every[:5], abs=1e-6)
