"""Ranking-quality metrics over graded judgments (pure functions).

Definitions, shared with the matcher's evaluation: over the top k results, ndcg@k with
gain 2^grade − 1 and the ideal ranking taken from all judged grades of the query;
recall@k of the items graded ≥ 2; reciprocal rank of the first item graded ≥ 2 (over the
full ranking). A query with nothing graded ≥ 2 counts in ndcg only (when anything is
graded) and not in recall or mrr.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

RELEVANT_GRADE = 2


def dcg(grades: Sequence[float]) -> float:
    """Discounted cumulative gain of grades in rank order."""
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at_k(ranking: Sequence[str], judged: Mapping[str, float], k: int = 10) -> float | None:
    """ndcg@k of a ranking against graded judgments; None when nothing is graded."""
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if ideal <= 0:
        return None
    return dcg([judged.get(item, 0) for item in ranking[:k]]) / ideal


def recall_at_k(ranking: Sequence[str], judged: Mapping[str, float], k: int = 10) -> float | None:
    """Share of the items graded ≥ 2 found in the top k; None when there are none."""
    relevant = {item for item, grade in judged.items() if grade >= RELEVANT_GRADE}
    if not relevant:
        return None
    return len(relevant & set(ranking[:k])) / len(relevant)


def reciprocal_rank(ranking: Sequence[str], judged: Mapping[str, float]) -> float | None:
    """1 / rank of the first item graded ≥ 2 (0 when absent); None when there are none."""
    if not any(grade >= RELEVANT_GRADE for grade in judged.values()):
        return None
    for position, item in enumerate(ranking, start=1):
        if judged.get(item, 0) >= RELEVANT_GRADE:
            return 1.0 / position
    return 0.0


def percentile(values: Sequence[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


@dataclass
class Tally:
    """Metrics accumulated over queries of one group (overall, or one style)."""

    ndcg: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    rr: list[float] = field(default_factory=list)
    latency_ms: list[float] = field(default_factory=list)

    def add(self, ranking: Sequence[str], judged: Mapping[str, float], latency_ms: float, k: int = 10) -> None:
        for target, value in (
            (self.ndcg, ndcg_at_k(ranking, judged, k)),
            (self.recall, recall_at_k(ranking, judged, k)),
            (self.rr, reciprocal_rank(ranking, judged)),
        ):
            if value is not None:
                target.append(value)
        self.latency_ms.append(latency_ms)

    def summary(self, k: int = 10) -> dict[str, float]:
        return {
            f"ndcg@{k}": round(_mean(self.ndcg), 4),
            f"recall@{k}": round(_mean(self.recall), 4),
            "mrr": round(_mean(self.rr), 4),
            "p50_ms": round(percentile(self.latency_ms, 50), 2),
            "p95_ms": round(percentile(self.latency_ms, 95), 2),
            "queries": len(self.latency_ms),
        }


def summarize(results: Sequence[tuple[str, Sequence[str], Mapping[str, float], float]],
              k: int = 10) -> dict[str, object]:
    """Overall and per-style metrics from (style, ranking, judged, latency_ms) tuples.

    Returns {"overall": {...}, "styles": {style: {...}}}.
    """
    overall = Tally()
    styles: dict[str, Tally] = {}
    for style, ranking, judged, latency in results:
        overall.add(ranking, judged, latency, k)
        styles.setdefault(style, Tally()).add(ranking, judged, latency, k)
    return {"overall": overall.summary(k), "styles": {s: t.summary(k) for s, t in styles.items()}}
