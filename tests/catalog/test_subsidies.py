"""Subsidy arithmetic against hand-computed cases for 新乡 and 兴国."""

from __future__ import annotations

import pytest

from catalog.policies import load_policies, policy_for_region
from catalog.subsidies import policy_level, subsidy


def _policy(key: str):
    return next(p for p in load_policies() if p.key == key)


@pytest.mark.parametrize(
    ("level", "spend", "expected"),
    [
        ("一级", 60, 0.0),  # below 二级: nothing
        ("二级", 60, 30.0),  # 50% of 60
        ("二级", 120, 50.0),  # 50% = 60, capped at 50
        ("三级", 80, 56.0),  # 70% of 80
        ("三级", 120, 70.0),  # 70% = 84, capped at 70
        ("四级", 50, 35.0),  # 三级及以上 tier
    ],
)
def test_xinxiang_rates_and_caps(level: str, spend: float, expected: float) -> None:
    policy = _policy("xinxiang")
    result = subsidy(policy=policy, spend_wan=spend, level=policy_level(policy, level))
    assert result.amount_wan == pytest.approx(expected)
    assert result.net_wan == pytest.approx(spend - expected)
    assert "新乡" in result.reason_zh


@pytest.mark.parametrize(
    ("level", "spend", "expected"),
    [
        ("L4", 100, 0.0),
        ("L5", 20, 8.0),
        ("L5", 5, 5.0),  # never above the spend
        ("L6", 100, 40.0),
        ("L7", 100, 80.0),
        ("L7", 60, 60.0),
        ("L8", 300, 200.0),
        ("L9", 300, 200.0),  # L8 and above
        ("l6", 100, 40.0),  # case of the label does not matter
    ],
)
def test_xingguo_fixed_awards(level: str, spend: float, expected: float) -> None:
    policy = _policy("xingguo")
    result = subsidy(policy=policy, spend_wan=spend, level=policy_level(policy, level))
    assert result.amount_wan == pytest.approx(expected)
    assert result.amount_wan <= spend


def test_policy_is_chosen_by_region_with_a_default() -> None:
    assert policy_for_region("河南省新乡市红旗区").key == "xinxiang"
    assert policy_for_region("江西省赣州市兴国县").key == "xingguo"
    assert policy_for_region("江西省九江市濂溪区").key == "default"
    assert policy_for_region(None).key == "default"


def test_level_reached_is_the_highest_of_current_and_targets() -> None:
    policy = _policy("xinxiang")
    assert policy_level(policy, "二级", "三级", None) == 3
    assert policy_level(policy, None, None) == 0
