"""`market eval search --json` prints exactly one JSON object of the documented shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from search_builders import DEV_DATA, JUDGED

from search_index.server import LocalMeilisearch

pytestmark = pytest.mark.meili

METRICS = {"ndcg@10", "recall@10", "mrr", "p50_ms", "p95_ms"}


def test_eval_search_json_shape(tmp_path: Path, meili_server: LocalMeilisearch) -> None:
    queries = json.loads((JUDGED / "queries.json").read_text("utf-8"))
    by_style: dict[str, dict] = {}
    for query in queries:
        by_style.setdefault(query["style"], query)
    subset = tmp_path / "queries.json"
    subset.write_text(json.dumps(list(by_style.values()), ensure_ascii=False), "utf-8")
    meili_server.start()
    env = {**os.environ, "MEILI_URL": meili_server.url, "MEILI_MASTER_KEY": meili_server.key}
    done = subprocess.run(
        [sys.executable, "-m", "market.cli", "eval", "search", "--catalog", str(DEV_DATA / "catalog.json"),
         "--queries", str(subset), "--json"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == {"overall", "styles"}
    assert set(report["overall"]) == METRICS
    assert set(report["styles"]) == set(by_style)
    for metrics in report["styles"].values():
        assert set(metrics) == METRICS
        assert 0.0 <= metrics["ndcg@10"] <= 1.0
    assert report["overall"]["ndcg@10"] > 0.5  # understood queries find most judged items
