"""Provider evaluation on built histories: components, ranking, warn / retire proposals."""

from __future__ import annotations

import pytest

from catalog.taxonomy import level_on_scale
from matching.chains.graph import is_below_bar
from matching.evaluation import (
    EngagementFact,
    evaluate,
    excellent_candidates,
    rank,
    smoothed,
)


def accepted(eid: int, before: str = "一级", after: str = "二级", promised: int = 30, actual: int = 25,
             rating: int | None = 5) -> EngagementFact:
    return EngagementFact(eid, "已验收", before, after, promised, actual, rating)


def terminated(eid: int, complaint: bool = False) -> EngagementFact:
    return EngagementFact(eid, "终止", complaint=complaint)


def test_no_history_means_no_proposal() -> None:
    e = evaluate(1, [])
    assert e.proposal == "暂无记录" and e.enterprises_served == 0 and e.acceptances == 0


def test_components_of_a_good_provider_by_hand() -> None:
    facts = [accepted(i) for i in range(1, 6)]  # 5 enterprises, all accepted, +1 level, on time, rated 5
    e = evaluate(7, facts, ["已签约", "有意向", "无合作意向", "未到场"])
    parts = {c.key: c for c in e.components}
    assert parts["served"].points == pytest.approx(15.0)
    assert parts["acceptance"].value == pytest.approx((5 + 0.6 * 2) / 7)
    assert parts["uplift"].value == pytest.approx((5 + 0.5 * 2) / 7)
    assert parts["on_time"].value == pytest.approx((5 + 0.6 * 2) / 7)
    assert parts["rating"].value == pytest.approx((5 + 0.6 * 2) / 7)
    assert parts["events"].value == pytest.approx((2 + 0.5 * 2) / 5)  # 未到场 does not count
    assert e.score == pytest.approx(round(sum(c.points for c in e.components), 1))
    assert e.proposal == "正常" and e.acceptances == 5


def test_terminations_and_complaints_lead_to_warning_or_retirement() -> None:
    good = evaluate(1, [accepted(i) for i in range(1, 5)])
    shaky = evaluate(2, [accepted(1), accepted(2), terminated(3), terminated(4)])
    bad = evaluate(3, [terminated(1, True), terminated(2, True), terminated(3), accepted(4, after="一级", rating=1)])
    assert good.score > shaky.score > bad.score
    assert shaky.proposal == "建议预警" and "终止 2 项" in shaky.reasons_zh
    assert bad.proposal == "建议退出" and bad.complaints == 2
    assert [e.subject_id for e in rank([bad, good, shaky])] == [1, 2, 3]


def test_late_delivery_lowers_the_on_time_component() -> None:
    on_time = evaluate(1, [accepted(i, actual=20) for i in range(3)])
    late = evaluate(2, [accepted(i, actual=90) for i in range(3)])
    part = {e.subject_id: {c.key: c.points for c in e.components}["on_time"] for e in (on_time, late)}
    assert part[1] > part[2] and on_time.score > late.score


def test_one_lucky_case_does_not_top_a_steady_record() -> None:
    lucky = evaluate(1, [accepted(1, after="四级")])
    steady = evaluate(2, [accepted(i, after="三级") for i in range(6)])
    assert steady.score > lucky.score


def test_level_uplift_on_both_scales() -> None:
    assert level_on_scale("三级") == 3 and level_on_scale("L6") == 3 and level_on_scale("未评测") == 0
    assert level_on_scale("五级") is None and level_on_scale("L10") is None  # 江西 runs L1–L9
    e = evaluate(1, [EngagementFact(1, "已验收", "L3", "L5")])
    assert {c.key: c.value for c in e.components}["uplift"] == pytest.approx((1.0 + 1.0) / 3)


def test_excellent_candidates_need_score_and_cases() -> None:
    strong = evaluate(1, [accepted(i, after="三级") for i in range(4)])
    single = evaluate(2, [accepted(1, after="四级")])
    assert [e.subject_id for e in excellent_candidates([strong, single])] == [1]
    assert smoothed(0, 0, 0.6) == pytest.approx(0.6)


@pytest.mark.parametrize("level", ["未评测", "一级", "二级", "三级", "四级", "L1", "L3", "L4", "l5", "L9", "", None])
def test_the_chain_bar_is_the_pilot_level(level: str | None) -> None:
    """A chain member is below the bar exactly when its level does not reach 二级 as the
    acceptance figures read it (L4 and above count as 二级)."""
    from catalog.taxonomy import reaches_pilot_level

    assert is_below_bar(level) is not reaches_pilot_level(level)
    assert is_below_bar(level) is (level in ("未评测", "一级", "L1", "L3", "", None))
