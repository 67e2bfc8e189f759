"""One engagement as the evaluation sees it: the plain record catalog.progress.evaluations reads
from a city's engagements and the matcher (matching/evaluation.py) scores, with no session."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngagementFact:
    """One engagement as the evaluation sees it."""

    enterprise_id: int
    status: str  # 意向 / 签约 / 实施中 / 已验收 / 终止
    level_before: str | None = None
    level_after: str | None = None
    promised_days: int | None = None
    actual_days: int | None = None  # contract → acceptance
    rating: int | None = None  # the enterprise's 1–5
    complaint: bool = False
