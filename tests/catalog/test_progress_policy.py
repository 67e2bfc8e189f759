"""The pilot's policy figures (catalog/progress/policy.py) and level readings (catalog/taxonomy.py):
the one place the dashboard, the lists, the acceptance rule and the evaluation read them."""

from __future__ import annotations

from datetime import date

from catalog.progress import policy
from catalog.progress.facts import EngagementFact
from catalog.taxonomy import level_names, level_on_scale, reaches_pilot_level, target_levels
from matching.evaluation import evaluate, excellent_candidates


def test_levels_in_order_and_the_targets_from_the_pilot_level() -> None:
    assert level_names() == ("未评测", "一级", "二级", "三级", "四级")
    assert target_levels() == ("二级", "三级", "四级")
    assert [reaches_pilot_level(x) for x in ("一级", "二级", "L3", "L4", " l8 ", "未评测")] == [
        False, True, False, True, True, False]
    assert level_on_scale("L2") == 1.0


def test_task_state() -> None:
    assert policy.task_state(None, None) == "需人工填报"
    assert policy.task_state(12, policy.TASK_DONE_PCT) == "已完成"
    assert policy.task_state(12, 99.9) == "推进中"
    assert policy.task_state(0, 0.0) == "未开始"


def test_the_level_two_bar() -> None:
    assert policy.level_two_share_reached(policy.LEVEL_TWO_SHARE_PCT)
    assert not policy.level_two_share_reached(policy.LEVEL_TWO_SHARE_PCT - 0.1)


def test_complaints_and_delivery() -> None:
    assert policy.is_complaint(policy.COMPLAINT_RATING, None)
    assert policy.is_complaint(4, "企业投诉：实施人员频繁更换")
    assert not policy.is_complaint(2, "需求变更")
    assert policy.delivery_days(date(2025, 3, 1), date(2025, 3, 31)) == 30
    assert policy.delivery_days(None, date(2025, 3, 31)) is None
    assert policy.on_time(30, 30) is True and policy.on_time(31, 30) is False
    assert policy.on_time(None, 30) is None and policy.on_time(10, None) is None


def _facts(accepted: int, terminated: int, complaints: int = 0) -> list[EngagementFact]:
    done = [EngagementFact(i, "已验收", "一级", "二级", 30, 20, 5) for i in range(accepted)]
    stopped = [EngagementFact(100 + i, "终止", complaint=i < complaints) for i in range(terminated)]
    return done + stopped


def test_the_evaluation_proposes_by_the_policy_cut_offs() -> None:
    assert evaluate(1, _facts(6, 0)).proposal == "正常"
    warned = evaluate(1, _facts(6, policy.WARN_TERMINATIONS))
    assert warned.proposal == "建议预警" and f"终止 {policy.WARN_TERMINATIONS} 项" in warned.reasons_zh
    assert evaluate(1, _facts(6, 0) + _facts(0, policy.WARN_COMPLAINTS, policy.WARN_COMPLAINTS)
                    ).proposal in ("建议预警", "建议退出")
    assert evaluate(1, _facts(1, policy.EXIT_TERMINATIONS)).proposal == "建议退出"
    strong = evaluate(1, _facts(policy.EXCELLENT_MIN_ACCEPTANCES, 0))
    single = evaluate(2, _facts(policy.EXCELLENT_MIN_ACCEPTANCES - 1, 0))
    assert strong.score >= policy.EXCELLENT_MIN_SCORE
    assert [e.subject_id for e in excellent_candidates([strong, single])] == [1]
