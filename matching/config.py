"""The matcher's weights and knobs, as configuration (defaults tuned by bench/tune_weights.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

COMPONENTS: tuple[str, ...] = (
    "text", "scenario", "industry", "size", "budget", "level", "region", "standing",
)

LABELS_ZH: dict[str, str] = {
    "text": "文本相关度",
    "scenario": "场景匹配",
    "industry": "行业匹配",
    "size": "规模匹配",
    "budget": "预算匹配",
    "level": "数字化水平匹配",
    "region": "服务区域",
    "standing": "服务商信誉",
}

DEFAULT_WEIGHTS: dict[str, float] = {
    "text": 0.50,
    "scenario": 0.20,
    "industry": 0.18,
    "size": 0.03,
    "budget": 0.03,
    "level": 0.02,
    "region": 0.02,
    "standing": 0.02,
}


SHORTLIST = 5  # offerings a need's shortlist holds, wherever one is shown (page, API, cohort, command line)


@dataclass(frozen=True)
class MatchConfig:
    """Weights of the score components and the knobs of candidate generation."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    candidates: int = 80  # solutions re-scored in full per need after pruning
    top_k: int = SHORTLIST  # shortlist length per need
    gap_threshold: float = 0.45  # a need whose best offering scores below this is a gap
    industry_values: tuple[float, float, float, float] = (0.0, 0.6, 0.85, 1.0)  # IndustryFit
    new_provider_penalty: float = 0.10  # bundle: cost of bringing in one more provider

    def with_weights(self, **weights: float) -> MatchConfig:
        merged = {**self.weights, **weights}
        return replace(self, weights=merged)

    def as_dict(self) -> dict[str, Any]:
        return {"weights": dict(self.weights), "candidates": self.candidates, "top_k": self.top_k}
