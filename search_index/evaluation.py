"""Running judged queries against a live index (used by `market eval search` and bench/)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import meilisearch

from search_index.client import wait_or_raise
from search_index.evaluate import summarize
from search_index.query import ranked_codes
from search_index.settings import BASELINE_SETTINGS

Ranker = Callable[[dict[str, Any]], list[str]]


def load_queries(path: Path) -> list[dict[str, Any]]:
    """Judged queries in the format of shared/data/judged/queries.json."""
    data = json.loads(Path(path).read_text("utf-8"))
    return list(data["queries"] if isinstance(data, dict) else data)


def run_queries(queries: Sequence[dict[str, Any]], ranker: Ranker, k: int = 10) -> dict[str, object]:
    """Rank every query with `ranker`, timing each, and summarise the metrics."""
    ranker(queries[0]) if queries else None  # warm caches (jieba, connection) outside the timings
    results = []
    for query in queries:
        started = time.perf_counter()
        ranking = ranker(query)
        latency = (time.perf_counter() - started) * 1000
        judged = {code: float(grade) for code, grade in query.get("relevant", {}).items()}
        results.append((query.get("style", "plain"), ranking, judged, latency))
    return summarize(results, k)


def project_ranker(client: meilisearch.Client, prefix: str) -> Ranker:
    """Our search, with the query's industry and region (when given) as context."""

    def rank(query: dict[str, Any]) -> list[str]:
        return ranked_codes(client=client, prefix=prefix, q=query["text"], industry=query.get("industry"),
                            region=query.get("region"), limit=50, public_only=False)

    return rank


def build_baseline_index(client: meilisearch.Client, uid: str, solutions: Sequence[dict[str, Any]]) -> None:
    """Default-settings Meilisearch over name, description and keywords (the measured baseline)."""
    wait_or_raise(client, client.create_index(uid, {"primaryKey": "id"}))
    wait_or_raise(client, client.index(uid).update_settings(BASELINE_SETTINGS))
    docs = [{"id": i, "code": s["code"], "name": s["name"], "description": s.get("description", ""),
             "keywords": s.get("keywords", []), "public": True, "status": "已入库"}
            for i, s in enumerate(solutions, start=1)]
    wait_or_raise(client, client.index(uid).add_documents(docs))


def baseline_ranker(client: meilisearch.Client, uid: str) -> Ranker:
    def rank(query: dict[str, Any]) -> list[str]:
        result = client.index(uid).search(query["text"], {"limit": 50, "attributesToRetrieve": ["code"]})
        return [hit["code"] for hit in result["hits"]]

    return rank
