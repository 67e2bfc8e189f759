"""Tune the matcher's component weights on the judged dev queries (coordinate ascent).

    .venv/bin/python bench/tune_weights.py

Every query × offering pair is scored once; a weight vector is then evaluated by a
matrix product. To see whether tuning carries over to unseen queries, it also tunes on
one half of the queries and reports the other half (2-fold, split by query id).
The printed weights are what matching/config.py's DEFAULT_WEIGHTS should hold.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.config import COMPONENTS, DEFAULT_WEIGHTS  # noqa: E402
from matching.evaluate import load_queries, ndcg_at, query_as_need  # noqa: E402
from matching.records import load_catalogue  # noqa: E402
from matching.scoring import MatchContext, score  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
STEPS = (0.0, 0.5, 0.75, 1.33, 2.0)


def component_matrices(ctx: MatchContext, queries: list[dict]) -> list[np.ndarray]:
    """For each query, the (offerings × components) values."""
    out = []
    for query in queries:
        need, enterprise = query_as_need(query)
        rows = [[c.value for c in score(need, enterprise, s, ctx.provider(s.provider_id), ctx)
                 .components] for s in ctx.solutions]
        out.append(np.asarray(rows))
    return out


def objective(weights: np.ndarray, mats: list[np.ndarray], queries: list[dict],
              ids: list[str]) -> tuple[float, float]:
    """Mean ndcg@10 and the worst style's mean ndcg@10."""
    per_style: dict[str, list[float]] = {}
    for mat, query in zip(mats, queries, strict=True):
        order = np.lexsort((np.arange(len(ids)), -(mat @ weights)))
        value = ndcg_at([ids[i] for i in order[:10]], query["relevant"])
        if value is not None:
            per_style.setdefault(query["style"], []).append(value)
    values = [v for vs in per_style.values() for v in vs]
    return float(np.mean(values)), min(float(np.mean(v)) for v in per_style.values())


def tune(mats: list[np.ndarray], queries: list[dict], ids: list[str],
         start: np.ndarray) -> np.ndarray:
    """Coordinate ascent on mean + worst-style ndcg@10 (ties keep the current weights)."""
    best = start.copy()
    best_value = sum(objective(best, mats, queries, ids))
    for _ in range(3):
        improved = False
        for i in range(len(best)):
            for step in STEPS:
                trial = best.copy()
                trial[i] = best[i] * step if best[i] else 0.02 * step
                value = sum(objective(trial, mats, queries, ids))
                if value > best_value + 1e-6:
                    best, best_value, improved = trial, value, True
        if not improved:
            break
    return best / best.sum()


def main() -> None:
    cat = load_catalogue(SHARED / "dev" / "catalog.json")
    ctx = MatchContext(cat.solutions, cat.providers)
    queries = load_queries(SHARED / "judged" / "queries.json")
    ids = [s.id for s in ctx.solutions]
    mats = component_matrices(ctx, queries)
    start = np.asarray([DEFAULT_WEIGHTS[c] for c in COMPONENTS])
    start = start / start.sum()
    mean, worst = objective(start, mats, queries, ids)
    print(f"current defaults: mean {mean:.4f}, worst style {worst:.4f}")
    for fold in (0, 1):
        train = [i for i, q in enumerate(queries) if int(q["id"][1:]) % 2 == fold]
        test = [i for i in range(len(queries)) if i not in train]
        tuned = tune([mats[i] for i in train], [queries[i] for i in train], ids, start)
        held = objective(tuned, [mats[i] for i in test], [queries[i] for i in test], ids)
        base = objective(start, [mats[i] for i in test], [queries[i] for i in test], ids)
        print(f"fold {fold}: held-out half ndcg@10 defaults {base[0]:.4f} → tuned {held[0]:.4f}"
              f" (worst style {base[1]:.4f} → {held[1]:.4f})")
    tuned = tune(mats, queries, ids, start)
    mean, worst = objective(tuned, mats, queries, ids)
    print(f"tuned on all: mean {mean:.4f}, worst style {worst:.4f}")
    print("weights:", {c: round(float(w), 3) for c, w in zip(COMPONENTS, tuned, strict=True)})


if __name__ == "__main__":
    main()
