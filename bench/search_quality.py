"""Search quality on the judged dev queries, against the baselines, in one run.

Prints ndcg@10 overall and per style for: our search through Meilisearch (`market eval
search`), the matcher (`market eval match`), BM25 (bm25s over jieba search-mode words of
name + keywords + description, 繁→简 folded — the textbook baseline) and Meilisearch with
default settings; on each judged set (dev queries, real-document phrasing, with regions).
Then a two-fold split: the language weights are tuned on one half of the queries (a
small grid, pure scoring without the engine) and measured on the other, both ways, so a
gap between the halves shows overfitting.

    .venv/bin/python bench/search_quality.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.language.lexical import Listing  # noqa: E402
from catalog.language.query import CatalogueText, Weights  # noqa: E402
from catalog.language.segment import search_words  # noqa: E402
from catalog.language.text import normalize  # noqa: E402
from catalog.regions import serves  # noqa: E402
from catalog.taxonomy import industry_fit  # noqa: E402
from search_index.evaluate import summarize  # noqa: E402
from search_index.query import _FIT_SCORE, INDUSTRY_WEIGHT  # noqa: E402

SETS = ("queries", "queries_real", "queries_region")
GRID = {"gram": [0.2, 0.3, 0.5], "feedback": [0.0, 0.3, 0.5], "scenario": [0.1, 0.3]}


class Offline:
    """Our scoring and BM25 over the catalogue file, without Meilisearch (for the split)."""

    def __init__(self, catalog: dict[str, Any]) -> None:
        self.solutions = catalog["solutions"]
        self.providers = {p["uscc"]: p for p in catalog["providers"]}
        self.text = CatalogueText([Listing(s["code"], s["name"], tuple(s.get("keywords", [])), s["description"],
                                           tuple(s["scenarios"])) for s in self.solutions])
        self._bm25 = _bm25(self.solutions)

    def _eligible(self, query: dict[str, Any]) -> np.ndarray:
        region = query.get("region")
        return np.array([serves(self.providers[s["provider_uscc"]].get("service_regions", []), region)
                         for s in self.solutions])

    def ours(self, query: dict[str, Any], weights: Weights) -> list[str]:
        self.text.weights = weights
        total = self.text.totals(self.text.relevance(self.text.understand(query["text"])))
        if query.get("industry"):
            fit = np.array([_FIT_SCORE[industry_fit(s["industries"], query["industry"])] for s in self.solutions])
            total = np.where(total > 0, total + INDUSTRY_WEIGHT * fit, 0.0)
        return self._ranking(np.where(self._eligible(query), total, 0.0))

    def bm25(self, query: dict[str, Any]) -> list[str]:
        model, vocab = self._bm25
        ids = [vocab[w] for w in _words(query["text"]) if w in vocab]
        scores = model.get_scores(ids) if ids else np.zeros(len(self.solutions))
        return self._ranking(np.where(self._eligible(query), scores, 0.0))

    def _ranking(self, scores: np.ndarray) -> list[str]:
        order = np.argsort(-scores, kind="stable")
        return [self.solutions[i]["code"] for i in order[:50] if scores[i] > 0]


def _words(text: str) -> list[str]:
    return [w for w in search_words(normalize(text)) if w.strip()]


def _bm25(solutions: list[dict[str, Any]]) -> tuple[Any, dict[str, int]]:
    import bm25s

    vocab: dict[str, int] = {}
    docs = [[vocab.setdefault(w, len(vocab)) for w in
             _words(" ".join([s["name"], " ".join(s.get("keywords", [])), s["description"]]))] for s in solutions]
    model = bm25s.BM25(k1=1.5, b=0.75)
    model.index(bm25s.tokenization.Tokenized(ids=docs, vocab=vocab), show_progress=False)
    return model, vocab


def _report(results: list[tuple[str, list[str], dict[str, float]]]) -> dict[str, Any]:
    return summarize([(style, ranking, judged, 0.0) for style, ranking, judged in results])


def _judged(query: dict[str, Any]) -> dict[str, float]:
    return {code: float(grade) for code, grade in query["relevant"].items()}


def _line(name: str, report: dict[str, Any]) -> str:
    styles = " ".join(f"{s} {m['ndcg@10']:.3f}" for s, m in sorted(report["styles"].items()))
    return f"  {name:<22} {report['overall']['ndcg@10']:.3f}   {styles}"


def _halves(queries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two halves with every style in both (alternate queries of each style)."""
    by_style: dict[str, list[dict[str, Any]]] = {}
    for query in queries:
        by_style.setdefault(query.get("style", ""), []).append(query)
    first = [q for qs in by_style.values() for q in qs[0::2]]
    second = [q for qs in by_style.values() for q in qs[1::2]]
    return first, second


def two_fold(offline: Offline, queries: list[dict[str, Any]]) -> None:
    """Tune the grid on one half, measure on the other, both ways."""
    combos = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]

    def ndcg(qs: list[dict[str, Any]], weights: Weights) -> float:
        report = _report([(q["style"], offline.ours(q, weights), _judged(q)) for q in qs])
        return float(report["overall"]["ndcg@10"])

    default = Weights()
    for name, (tune, held) in (("A→B", _halves(queries)), ("B→A", _halves(queries)[::-1])):
        best = max(combos, key=lambda c: ndcg(tune, dataclasses.replace(default, **c)))
        tuned = dataclasses.replace(default, **best)
        print(f"  {name}: tuned {best} — tune half {ndcg(tune, tuned):.3f}, other half {ndcg(held, tuned):.3f};"
              f" shipped weights on the other half {ndcg(held, default):.3f};"
              f" BM25 on it {_report([(q['style'], offline.bm25(q), _judged(q)) for q in held])['overall']['ndcg@10']:.3f}")


def _live(catalog: Path, queries: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    from market.search.commands import _evaluate
    from matching.evaluate import evaluate_queries, load_queries
    from matching.evaluate import summarize as match_summary
    from matching.records import load_catalogue
    from matching.scoring import MatchContext

    ours = _evaluate([catalog], queries, baseline=False)
    default = _evaluate([catalog], queries, baseline=True)
    loaded = load_catalogue(catalog)
    matcher = match_summary(evaluate_queries(MatchContext(loaded.solutions, loaded.providers), load_queries(queries)))
    return ours, default, matcher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    catalog_path = args.data / "dev" / "catalog.json"
    offline = Offline(json.loads(catalog_path.read_text("utf-8")))
    pooled: list[dict[str, Any]] = []
    for name in SETS:
        path = args.data / "judged" / f"{name}.json"
        queries = json.loads(path.read_text("utf-8"))
        queries = queries["queries"] if isinstance(queries, dict) else queries
        pooled += queries if name != "queries_region" else []
        ours, default, matcher = _live(catalog_path, path)
        print(f"{name} ({len(queries)} queries), ndcg@10 overall and by style:")
        print(_line("search (ours)", ours))
        print(_line("matcher (ours)", matcher))
        print(_line("BM25 baseline", _report([(q["style"], offline.bm25(q), _judged(q)) for q in queries])))
        print(_line("Meilisearch default", default))
    print("two-fold split of the dev and real-phrasing queries (weights tuned on one half):")
    two_fold(offline, pooled)


if __name__ == "__main__":
    main()
