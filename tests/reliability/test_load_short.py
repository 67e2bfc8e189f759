"""A short, bounded run of the load bench (bench/load.py) in the suite: the mixed workload
against `market serve` (PostgreSQL, 2 workers, its own Meilisearch) answers every request
without a server error or a dropped connection. The figures come from the 5-minute bench;
nothing here is about speed: three seconds of 16 clients send a few hundred requests of every
kind, which is what the checks below need."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from database_copies import POSTGRES_URL

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load_bench():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not POSTGRES_URL, reason="needs the PostgreSQL test cluster (make test starts it)")
def test_a_short_mixed_load_gets_no_server_error(tmp_path: Path) -> None:
    load = _load_bench()
    url = load.create_database(POSTGRES_URL)
    server = None
    try:
        load.prepare_database(url)
        port = load.free_port()
        server = load.start_serve(url, tmp_path, port, workers=2)
        base = f"http://127.0.0.1:{port}"
        load.wait_ready(base, server)
        queries = [q["text"] for q in json.loads(load.QUERIES.read_text("utf-8"))]
        workload = load.Workload(base, queries)
        with ThreadPoolExecutor(max_workers=1) as own_thread:  # a browser test may hold this thread's loop
            stats, _ = own_thread.submit(asyncio.run, load.drive(base, workload, clients=16, seconds=3)).result()
    finally:
        if server is not None:
            load.stop(server)
        load.drop_database(POSTGRES_URL, url)
    server_errors = {name: {c: n for c, n in codes.items() if c >= 500} for name, codes in stats.statuses.items()}
    assert all(not errors for errors in server_errors.values()), (server_errors, stats.samples)
    assert dict(stats.transport_errors) == {}, stats.samples
    assert {"search", "match"} <= set(stats.statuses)
    assert stats.statuses["search"].get(200, 0) > 0 and stats.statuses["match"].get(200, 0) > 0
    unexpected = {c for codes in stats.statuses.values() for c in codes} - {200, 403, 409}
    assert unexpected == set(), stats.samples
