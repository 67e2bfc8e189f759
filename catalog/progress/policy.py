"""The pilot's policy figures a bureau recognises: the share of 规上 enterprises at 二级 the pilot
must reach, when a task counts as done, what counts as a complaint and as on-time delivery, and
the evaluation's cut-offs for 建议预警 / 建议退出 / 优秀产品. The dashboard, the working lists, the
acceptance rule and the evaluation (matching/evaluation.py) read them here."""

from __future__ import annotations

from datetime import date

LEVEL_TWO_SHARE_PCT = 90.0  # % of 规上 pilot enterprises at 二级 or above the pilot must reach
TASK_DONE_PCT = 100.0  # a target row at this share of its target or more is 已完成

RATING_MIN, RATING_MAX = 1, 5  # an enterprise's rating of an engagement
COMPLAINT_RATING = 1  # the lowest rating counts as a complaint
COMPLAINT_WORD = "投诉"  # so does a termination whose reason names it

# 考核评价: the system's proposal on a provider (the bureau decides)
EXIT_BELOW_SCORE = 40.0  # 建议退出 below this score …
EXIT_TERMINATIONS = 3  # … or at this many terminations when they outnumber acceptances
WARN_BELOW_SCORE = 55.0  # 建议预警 below this score …
WARN_COMPLAINTS = 2  # … or at this many complaints …
WARN_TERMINATIONS = 2  # … or at this many terminations
# 优秀产品: the system proposes a solution with this score on this many accepted cases
EXCELLENT_MIN_SCORE = 70.0
EXCELLENT_MIN_ACCEPTANCES = 2


def level_two_share_reached(share_pct: float) -> bool:
    """Has the city reached the pilot's share of 规上 enterprises at 二级 or above?"""
    return share_pct >= LEVEL_TWO_SHARE_PCT


def task_state(actual: float | None, percent: float | None) -> str:
    """Where a target row stands: 需人工填报 (no computed figure), 已完成, 推进中 or 未开始."""
    if actual is None:
        return "需人工填报"
    if percent is not None and percent >= TASK_DONE_PCT:
        return "已完成"
    return "推进中" if actual else "未开始"


def is_complaint(rating: int | None, termination_reason: str | None) -> bool:
    """A complaint: the enterprise rated the service at the lowest rating, or a termination names 投诉."""
    return rating == COMPLAINT_RATING or COMPLAINT_WORD in (termination_reason or "")


def delivery_days(contract_date: date | None, acceptance_date: date | None) -> int | None:
    """Days from the contract to acceptance (None while either is missing)."""
    if contract_date is None or acceptance_date is None:
        return None
    return (acceptance_date - contract_date).days


def on_time(actual_days: int | None, promised_days: int | None) -> bool | None:
    """Delivered within the offering's promised deploy days (None when either is unknown)."""
    if actual_days is None or not promised_days:
        return None
    return actual_days <= promised_days


FLAGGED = ("建议预警", "建议退出")  # the evaluation's proposals a bureau is asked to act on


def is_flagged(proposal: str) -> bool:
    """Does the evaluation propose that the bureau warn or retire the provider?"""
    return proposal in FLAGGED
