"""Ranking metrics on hand-computed cases, and the matcher on the judged dev queries."""

from __future__ import annotations

import math

import pytest
from match_builders import DEV_DATA, JUDGED

from matching.evaluate import (
    evaluate_queries,
    load_queries,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    summarize,
)
from matching.records import load_catalogue
from matching.scoring import MatchContext


def test_metrics_by_hand() -> None:
    judged = {"a": 3, "b": 2, "c": 1}
    ideal = 7 + 3 / math.log2(3) + 1 / 2
    assert ndcg_at(["a", "b", "c"], judged) == pytest.approx(1.0)
    assert ndcg_at(["x", "a"], judged) == pytest.approx((7 / math.log2(3)) / ideal)
    assert recall_at(["b", "x"], judged) == pytest.approx(0.5)
    assert reciprocal_rank(["x", "c", "b"], judged) == pytest.approx(1 / 3)
    assert recall_at(["c"], {"c": 1}) is None and reciprocal_rank(["c"], {"c": 1}) is None
    assert ndcg_at(["c"], {}) is None


def test_matcher_beats_the_fuzzy_baseline_on_dev_queries() -> None:
    cat = load_catalogue(DEV_DATA / "catalog.json")
    ctx = MatchContext(cat.solutions, cat.providers)
    summary = summarize(evaluate_queries(ctx, load_queries(JUDGED / "queries.json")))
    assert set(summary["overall"]) >= {"ndcg@10", "recall@10", "mrr", "p50_ms", "p95_ms"}
    assert summary["overall"]["ndcg@10"] >= 0.88  # rapidfuzz alone: 0.77
    assert min(s["ndcg@10"] for s in summary["styles"].values()) >= 0.80
