"""Ranking-quality metrics over judged queries, and the evaluation of the matcher on them.

ndcg@10 with gain 2^grade − 1 and the ideal ranking from all judged grades; recall@10 of
the offerings graded ≥ 2; mrr of the first offering graded ≥ 2 over the full ranking.
A query with nothing graded ≥ 2 counts in ndcg only (when something is graded).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.records import EnterpriseRecord, NeedRecord
from matching.scoring import MatchContext, rank

RELEVANT = 2


def dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at(ranking: Sequence[str], judged: dict[str, int], k: int = 10) -> float | None:
    """ndcg@k of a ranking (ids, best first); None when nothing is graded."""
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if ideal <= 0:
        return None
    return dcg([judged.get(i, 0) for i in ranking[:k]]) / ideal


def recall_at(ranking: Sequence[str], judged: dict[str, int], k: int = 10) -> float | None:
    """Share of the offerings graded ≥ 2 found in the top k; None when there are none."""
    relevant = {i for i, g in judged.items() if g >= RELEVANT}
    if not relevant:
        return None
    return len(relevant & set(ranking[:k])) / len(relevant)


def reciprocal_rank(ranking: Sequence[str], judged: dict[str, int]) -> float | None:
    """1 / position of the first offering graded ≥ 2 (0 if absent); None when there are none."""
    if not any(g >= RELEVANT for g in judged.values()):
        return None
    for position, item in enumerate(ranking, start=1):
        if judged.get(item, 0) >= RELEVANT:
            return 1.0 / position
    return 0.0


def _mean(values: list[float | None]) -> float:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else 0.0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class QueryResult:
    query_id: str
    style: str
    ranking: list[str]
    judged: dict[str, int]
    millis: float


def summarize(results: Sequence[QueryResult]) -> dict[str, Any]:
    """Overall and per-style metrics, in the shape `market eval search --json` prints."""

    def block(rows: Sequence[QueryResult]) -> dict[str, float]:
        times = [r.millis for r in rows]
        return {
            "ndcg@10": round(_mean([ndcg_at(r.ranking, r.judged) for r in rows]), 4),
            "recall@10": round(_mean([recall_at(r.ranking, r.judged) for r in rows]), 4),
            "mrr": round(_mean([reciprocal_rank(r.ranking, r.judged) for r in rows]), 4),
            "p50_ms": round(_percentile(times, 0.5), 2),
            "p95_ms": round(_percentile(times, 0.95), 2),
            "queries": len(rows),
        }

    styles = sorted({r.style for r in results})
    return {
        "overall": block(results),
        "styles": {s: block([r for r in results if r.style == s]) for s in styles},
    }


def query_as_need(query: dict[str, Any]) -> tuple[NeedRecord, EnterpriseRecord]:
    """A judged query as a need with its context (industry, size, budget, region) as the enterprise."""
    enterprise = EnterpriseRecord(
        id=f"q:{query['id']}", industry=query.get("industry") or "", region=query.get("region") or "",
        size=query.get("size") or None, budget_wan=query.get("budget_wan"),
    )
    need = NeedRecord(id=str(query["id"]), enterprise_id=enterprise.id, text=str(query["text"]),
                      budget_wan=query.get("budget_wan"))
    return need, enterprise


def evaluate_queries(ctx: MatchContext, queries: Sequence[dict[str, Any]],
                     depth: int = 100) -> list[QueryResult]:
    """Rank the catalogue for every judged query through the matcher."""
    results = []
    for query in queries:
        need, enterprise = query_as_need(query)
        started = time.perf_counter()
        ranked = rank(need, enterprise, ctx, k=depth, limit=max(depth, ctx.config.candidates))
        millis = (time.perf_counter() - started) * 1000
        results.append(QueryResult(str(query["id"]), str(query.get("style", "")),
                                   [m.solution_id for m in ranked],
                                   {str(k): int(v) for k, v in query["relevant"].items()}, millis))
    return results


def load_queries(path: str | Path) -> list[dict[str, Any]]:
    """Judged queries from a JSON file (a list, or an object with `queries`)."""
    raw = json.loads(Path(path).read_text("utf-8"))
    return list(raw["queries"] if isinstance(raw, dict) else raw)
