"""Subsidy policies as data: the shipped file loads into plain records with a default."""

from __future__ import annotations

import pytest

from catalog.subsidies.policies import load_policies, parse_policies, policy_for_region


def test_shipped_policies_have_xinxiang_xingguo_and_one_default() -> None:
    policies = load_policies()
    keys = {p.key for p in policies}
    assert {"xinxiang", "xingguo", "default"} <= keys
    assert sum(1 for p in policies if not p.regions) == 1
    xinxiang = next(p for p in policies if p.key == "xinxiang")
    assert [(t.min_level, t.rate, t.cap_wan) for t in xinxiang.tiers] == [(2, 0.5, 50), (3, 0.7, 70)]
    xingguo = next(p for p in policies if p.key == "xingguo")
    assert [(t.label_zh, t.fixed_wan) for t in xingguo.tiers] == [
        ("L5", 8), ("L6", 40), ("L7", 80), ("L8及以上", 200)]


def test_a_city_policy_from_data() -> None:
    policies = tuple(parse_policies({"policies": [
        {"key": "x", "name": "某市补贴", "regions": ["某市"], "tiers": [
            {"min_level": 3, "label": "三级", "rate": 0.4, "cap_wan": 10},
            {"min_level": 2, "label": "二级", "rate": 0.2}]},
        {"key": "d", "name": "默认", "regions": [], "tiers": []},
    ]}))
    assert [t.min_level for t in policies[0].tiers] == [2, 3]  # sorted by level
    assert policy_for_region("某省某市某区", policies).key == "x"
    assert policy_for_region("别处", policies).key == "d"
    assert policies[0].level_of("三级") == 0  # no scale given: callers fall back to 一级…四级


@pytest.mark.parametrize("region", ["河南省新乡市长垣市", "新乡市红旗区"])
def test_xinxiang_regions(region: str) -> None:
    assert policy_for_region(region).key == "xinxiang"
