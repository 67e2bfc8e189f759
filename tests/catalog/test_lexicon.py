"""The lexicon: plain-language pain points → scenarios and product words."""

from __future__ import annotations

import json

import pytest

from catalog.language.lexicon import infer_scenarios, lexicon
from catalog.taxonomy import taxonomy


@pytest.mark.parametrize(
    ("text", "scenario"),
    [
        ("车间设备老是突然停机，不知道哪台要保养", "设备管理运维"),
        ("仓库找料要半天，盘点老对不上", "仓储物流"),
        ("每个月电费几十万，想做节能", "能源能耗管理"),
        ("订单一多就排不过来，插单全靠车间主任", "生产计划排程"),
        ("去年电脑被勒索病毒锁了，数据没有备份", "网络与数据安全"),
        ("報銷還在貼發票", "财务管理"),  # 繁體 is folded first
        ("客户老是投诉产品质量，不合格品查不到原因", "质量管控"),
    ],
)
def test_pain_points_map_to_their_scenario(text: str, scenario: str) -> None:
    assert infer_scenarios(text)[0][0] == scenario


def test_shares_sum_to_one_and_unknown_text_gives_nothing() -> None:
    shares = infer_scenarios("仓库出入库要扫码，顺便把设备保养管起来")
    assert sum(s for _, s in shares) == pytest.approx(1.0)
    assert {s for s, _ in shares} >= {"仓储物流", "设备管理运维"}
    assert infer_scenarios("你好") == []


def test_every_scenario_of_the_lexicon_is_in_the_taxonomy() -> None:
    scenarios = {s for table in lexicon().cues.values() for s, _ in table}
    assert scenarios <= set(taxonomy().scenarios)
    assert scenarios == set(taxonomy().scenarios)  # and every scenario has cues


def test_lexicon_file_is_valid_json_with_positive_weights() -> None:
    from pathlib import Path

    import catalog.language.lexicon as module

    path = Path(module.__file__ or "").parents[1] / "data" / "lexicon.json"
    raw = json.loads(path.read_text("utf-8"))
    assert all(w > 0 for table in raw["scenarios"].values() for w in table.values())
