"""Bundles: coverage by priority within budget after subsidy, hand-computed for 新乡 and 兴国."""

from __future__ import annotations

import pytest
from match_builders import context, enterprise, need, solution

from matching.bundle import propose_bundle

MES = solution("MES1", "起重机焊接车间MES生产执行系统", provider_id="PA", price_wan=40,
               target_level="三级", scenarios=("生产过程管控",),
               keywords=("MES", "报工", "焊接追溯"), description="工单报工，焊缝追溯到焊工和焊机")
WMS = solution("WMS1", "仓库管理系统WMS", provider_id="PB", price_wan=10, target_level="二级",
               scenarios=("仓储物流",), keywords=("WMS", "扫码出入库", "库位"),
               description="扫码出入库、库位管理、盘点")
NEEDS = [
    need("上MES管住车间工单报工，焊接能追溯", id="E1/N1", priority="高", scenario="生产过程管控"),
    need("仓库扫码出入库，库位管理", id="E1/N2", priority="中", scenario="仓储物流"),
]


def test_xinxiang_bundle_within_budget() -> None:
    # 40 + 10 = 50万; the bundle reaches 三级 → 70%, cap 70万 → 35万; net 15万 ≤ 30万
    ent = enterprise(region="河南省新乡市牧野区", level="二级", budget_wan=30)
    bundle = propose_bundle(enterprise=ent, needs=NEEDS, ctx=context([MES, WMS]))
    assert {i.solution_id for i in bundle.items} == {"MES1", "WMS1"}
    assert bundle.total_wan == pytest.approx(50)
    assert bundle.subsidy.amount_wan == pytest.approx(35)
    assert bundle.net_wan == pytest.approx(15)
    assert "新乡" in bundle.subsidy.policy_name_zh
    assert bundle.covered["E1/N1"].solution_id == "MES1"


def test_xinxiang_budget_leaves_out_what_does_not_fit_and_says_so() -> None:
    # MES alone: 40万 at 三级 → 28万 subsidy, net 12万 > 10万. WMS alone: 10万 at 二级 →
    # 5万, net 5万 ≤ 10万. So only WMS; the MES need is reported with its net cost.
    ent = enterprise(region="河南省新乡市牧野区", level="二级", budget_wan=10)
    bundle = propose_bundle(enterprise=ent, needs=NEEDS, ctx=context([MES, WMS]))
    assert [i.solution_id for i in bundle.items] == ["WMS1"]
    assert bundle.subsidy.amount_wan == pytest.approx(5)
    assert bundle.net_wan == pytest.approx(5)
    left = bundle.uncovered["E1/N1"]
    assert left is not None and left.solution_id == "MES1"
    assert left.net_wan == pytest.approx(12)
    assert any("MES1" in note and "12" in note for note in bundle.notes_zh)


def test_xingguo_fixed_award_never_above_spend() -> None:
    # L6 → 40万 fixed; spend 50万 → net 10万
    ent = enterprise(region="江西省赣州市兴国县", level="L6", budget_wan=20)
    bundle = propose_bundle(enterprise=ent, needs=NEEDS, ctx=context([MES, WMS]))
    assert bundle.total_wan == pytest.approx(50)
    assert bundle.subsidy.amount_wan == pytest.approx(40)
    assert bundle.net_wan == pytest.approx(10)
    assert "兴国" in bundle.subsidy.policy_name_zh
    # L5 → 8万, only the WMS need: spend 10万 → net 2万
    small = enterprise(region="江西省赣州市兴国县", level="L5", budget_wan=3)
    only_wms = propose_bundle(enterprise=small, needs=NEEDS[1:], ctx=context([MES, WMS]))
    assert only_wms.total_wan == pytest.approx(10)
    assert only_wms.subsidy.amount_wan == pytest.approx(8)
    assert only_wms.net_wan == pytest.approx(2)


def test_one_offering_covering_two_needs_beats_two_providers() -> None:
    suite = solution("ALL1", "起重机焊接车间MES生产执行系统与仓库管理系统WMS一体化", provider_id="PC", price_wan=45,
                     target_level="三级", scenarios=("生产过程管控", "仓储物流"),
                     keywords=("MES", "报工", "焊接追溯", "WMS", "扫码出入库", "库位"),
                     description="工单报工，焊缝追溯到焊工和焊机；扫码出入库、库位管理、盘点")
    ent = enterprise(region="河南省新乡市牧野区", level="二级", budget_wan=100)
    bundle = propose_bundle(enterprise=ent, needs=NEEDS, ctx=context([MES, WMS, suite]))
    assert [i.solution_id for i in bundle.items] == ["ALL1"]
    assert bundle.items[0].covers == ["E1/N1", "E1/N2"]
    assert len(bundle.providers) == 1


def test_default_policy_is_named_when_the_city_has_none() -> None:
    ent = enterprise(region="江西省九江市濂溪区", level="二级", budget_wan=None)
    bundle = propose_bundle(enterprise=ent, needs=NEEDS, ctx=context([MES, WMS]))
    assert bundle.subsidy.policy_key == "default"
    assert bundle.subsidy.policy_name_zh in bundle.as_dict()["policy"]
