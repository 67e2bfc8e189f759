"""Search benchmark: prints the figures, asserts nothing.

1. Quality and latency on the dev set (as `market eval search`), and the default-settings
   baseline.
2. A generated 20,000-solution catalogue: full reindex time, how long until an update is
   visible in search, throughput of GET /api/search under wrk at 32 connections, and p95
   one request at a time.

Run: .venv/bin/python bench/search.py [--solutions 20000] [--seconds 10] [--workers 1]
Needs wrk (Debian package `wrk`) for the throughput part; skipped with a note otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from catalog import outbox  # noqa: E402
from catalog.db import get_engine, session_scope  # noqa: E402
from catalog.solutions.models import Solution  # noqa: E402
from market.database import migrate  # noqa: E402
from market.search.commands import _evaluate, load_catalog  # noqa: E402
from market.settings import get_settings  # noqa: E402
from search_index.client import index_uid, make_client, wait_or_raise  # noqa: E402
from search_index.evaluate import percentile  # noqa: E402
from search_index.query import SearchRequest, search_solutions  # noqa: E402
from search_index.server import LocalMeilisearch, free_port  # noqa: E402
from search_index.sync import reindex, run_worker  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
CATALOG = SHARED / "dev" / "catalog.json"
QUERIES = SHARED / "judged" / "queries.json"
VARIANTS = ["标准版", "专业版", "旗舰版", "云端版", "轻量版", "行业版", "集团版", "园区版"]
CITIES = ["九江", "新乡", "昌吉", "赣州", "南昌", "郑州", "洛阳", "上饶"]


def quality() -> None:
    for baseline in (False, True):
        report = _evaluate([CATALOG], QUERIES, baseline)
        print(f"\n== {'baseline (default Meilisearch)' if baseline else 'project search'} on the dev set ==")
        for name, m in [("overall", report["overall"]), *sorted(report["styles"].items())]:
            print(f"{name:<12} ndcg@10 {m['ndcg@10']:.3f}  recall@10 {m['recall@10']:.3f}  mrr {m['mrr']:.3f}"
                  f"  p50 {m['p50_ms']:.1f} ms  p95 {m['p95_ms']:.1f} ms")


def generate(database_url: str, count: int) -> None:
    """Load the dev catalogue, then multiply its solutions into `count` published variants."""
    load_catalog(database_url, [CATALOG])
    rng = random.Random(7)
    with session_scope(database_url) as session:
        base = list(session.exec(Solution.__table__.select()).mappings())  # type: ignore[attr-defined]
        rows = []
        for i in range(count - len(base)):
            src = dict(base[i % len(base)])
            src.pop("id")
            src.update(code=f"G-{i:06d}", name=f"{rng.choice(CITIES)}{src['name']}（{rng.choice(VARIANTS)}）",
                       price_wan=round(src["price_wan"] * rng.uniform(0.6, 1.6), 2),
                       deploy_days=max(1, int(src["deploy_days"] * rng.uniform(0.5, 1.5))),
                       status="已入库", excellent=rng.random() < 0.05)
            rows.append(src)
        session.execute(Solution.__table__.insert(), rows)  # type: ignore[attr-defined]


def update_visible(database_url: str, client, prefix: str,  # type: ignore[no-untyped-def]
                   rounds: int = 5) -> list[tuple[float, float]]:
    """Seconds from the commit of a change to its being found by the search path of the
    process that runs the worker (as under `market serve`), and to its being in the engine
    (what another process's search then finds within a probe), with the worker running,
    for `rounds` edits of different listings one after another (the first comes right
    after the full rebuild, while the engine may still be settling it)."""
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, kwargs={"database_url": database_url, "client": client,
                                                          "stop_event": stop, "prefix": prefix})  # as in serve
    worker.start()
    search_solutions(client=client, prefix=prefix, request=SearchRequest(q="MES"))  # learnt, as in service
    time.sleep(2)  # the worker is up (as under `market serve`) before the write
    try:
        return [_one_update(database_url, client, prefix, solution_id) for solution_id in range(1, rounds + 1)]
    finally:
        stop.set()
        worker.join(timeout=10)


def _one_update(database_url: str, client, prefix: str,  # type: ignore[no-untyped-def]
                solution_id: int) -> tuple[float, float]:
    marker = f"基准标记{secrets.token_hex(3)}"
    with Session(get_engine(database_url)) as session:
        solution = session.get(Solution, solution_id)
        assert solution is not None
        solution.name = f"{solution.name}{marker}"
        session.add(solution)
        outbox.enqueue(session=session, record_type="solution", record_id=solution_id)
        session.commit()
    written = time.perf_counter()
    here = engine = float("nan")
    uid = index_uid(prefix, "solutions")
    while time.perf_counter() - written < 30 and (here != here or engine != engine):  # nan until seen
        if here != here:
            hits = search_solutions(client=client, prefix=prefix, request=SearchRequest(q=marker, per_page=5)).hits
            if any(marker in hit["name"] for hit in hits):
                here = time.perf_counter() - written
        if engine != engine:
            found = client.index(uid).search(marker, {"limit": 5, "attributesToRetrieve": ["id"]})["hits"]
            if any(hit["id"] == solution_id for hit in found):
                engine = time.perf_counter() - written
        time.sleep(0.02)
    return here, engine


def raw_indexing(database_url: str, client) -> float:  # type: ignore[no-untyped-def]
    """Seconds Meilisearch takes, with default settings, to index name, description and keywords
    of the same solutions: the yardstick the reindex figure is read against on a busy machine."""
    with session_scope(database_url) as session:
        rows = session.exec(Solution.__table__.select()).mappings().all()  # type: ignore[attr-defined]
    docs = [{"id": r["id"], "name": r["name"], "description": r["description"], "keywords": r["keywords"]}
            for r in rows]
    wait_or_raise(client, client.create_index("bench_raw", {"primaryKey": "id"}))
    started = time.perf_counter()
    for task in [client.index("bench_raw").add_documents(docs[i:i + 5000]) for i in range(0, len(docs), 5000)]:
        wait_or_raise(client, task)
    took = time.perf_counter() - started
    wait_or_raise(client, client.delete_index("bench_raw"))
    return took


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """The app as `market serve` runs it (its app factory), on `port`."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "market.commands.serve:app_factory", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log",
         "--http", "market.tcp_nodelay:NoDelayHTTPProtocol"],  # as `market serve` passes it
        env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the app did not start")


def traffic(queries: list[str]) -> list[str]:
    """The judged queries as many users would send them: each also with a city in front,
    so that throughput is not measured on 50 strings repeated (query understanding and the
    engine see 450 different ones)."""
    return queries + [f"{city} {q}" for city in CITIES for q in queries]


def app_memory_mb(app: subprocess.Popen[bytes]) -> float:
    """Resident memory of the app's processes (uvicorn and its workers), in MB (Linux /proc)."""
    def family(pid: int) -> list[int]:
        kids = [int(k) for task in Path(f"/proc/{pid}/task").iterdir()
                for k in (task / "children").read_text().split()]
        return [pid, *(p for kid in kids for p in family(kid))]

    def rss_kb(pid: int) -> int:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS:"))
        return int(line.split()[1])

    return sum(rss_kb(pid) for pid in family(app.pid)) / 1024


def one_at_a_time(port: int, queries: list[str], n: int = 200) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    times = []
    for i in range(n):
        path = "/api/search?q=" + quote(queries[i % len(queries)])
        started = time.perf_counter()
        conn.request("GET", path)
        conn.getresponse().read()
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return times


def warm(port: int, queries: list[str], rounds: int = 3) -> None:
    """Every query a few times, each on a new connection: the kernel spreads connections over
    the workers, so each worker's caches see the traffic (one kept-alive connection would
    warm only the worker that accepted it)."""
    for _ in range(rounds):
        for query in queries:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/search?q=" + quote(query))
            conn.getresponse().read()
            conn.close()


def wrk(port: int, queries: list[str], seconds: int, tmp: Path) -> str:
    script = tmp / "queries.lua"
    paths = ",".join(json.dumps("/api/search?q=" + quote(q)) for q in queries)
    script.write_text(f"local paths = {{{paths}}}\nlocal i = 0\nrequest = function()\n"
                      "  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n", "utf-8")
    done = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", str(script),
                           f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=seconds + 60)
    return done.stdout


def wrk_meilisearch(url: str, key: str, uid: str, queries: list[str], seconds: int, tmp: Path) -> str:
    """The same queries straight to Meilisearch's search route (the yardstick for the API)."""
    script = tmp / "meili.lua"
    bodies = ",".join(json.dumps(json.dumps({"q": q, "limit": 10}, ensure_ascii=False), ensure_ascii=False)
                      for q in queries)
    script.write_text(f"local bodies = {{{bodies}}}\nlocal i = 0\nrequest = function()\n"
                      "  i = i % #bodies + 1\n"
                      f"  return wrk.format('POST', '/indexes/{uid}/search', "
                      f"{{['Content-Type'] = 'application/json', ['Authorization'] = 'Bearer {key}'}}, bodies[i])\n"
                      "end\n", "utf-8")
    done = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", str(script), url],
                          capture_output=True, text=True, timeout=seconds + 60)
    return done.stdout


def _rate(report: str) -> float:
    found = [line for line in report.splitlines() if line.startswith("Requests/sec:")]
    return float(found[0].split()[1]) if found else float("nan")


def scale(count: int, seconds: int, calibrate: bool = False, workers: int = 1) -> None:
    settings = get_settings()
    queries = [q["text"] for q in json.loads(QUERIES.read_text("utf-8"))]
    with tempfile.TemporaryDirectory(prefix="szt-bench-") as tmp_name:
        tmp = Path(tmp_name)
        database_url = f"sqlite:///{tmp / 'bench.db'}"
        migrate(database_url)
        started = time.perf_counter()
        generate(database_url, count)
        print(f"\n== {count} solutions ==\ngenerated catalogue in {time.perf_counter() - started:.1f} s")
        with LocalMeilisearch(binary=settings.meili_binary, data_dir=tmp / "meili", key=secrets.token_urlsafe(24)) as server:
            client = make_client(server.url, server.key)
            started = time.perf_counter()
            counts = reindex(database_url=database_url, client=client, prefix="bench")
            print(f"full reindex: {time.perf_counter() - started:.1f} s for {counts}  (target ≤ 30 s)")
            if calibrate:
                print(f"  yardstick: raw Meilisearch indexing of the same {count} solutions (default settings, "
                      f"name/description/keywords): {raw_indexing(database_url, client):.1f} s")
            both = update_visible(database_url, client, "bench")
            for label, seen in (("in search (the worker's process)", [b[0] for b in both]),
                                ("in the engine (other processes: + one probe, 0.25 s)", [b[1] for b in both])):
                print(f"update visible {label} after: {seen[0]:.2f} s right after the rebuild, then "
                      f"median {statistics.median(seen[1:]):.2f} s, max {max(seen[1:]):.2f} s over "
                      f"{len(seen) - 1} edits  (target ≤ 1 s)")
            direct = []
            for q in queries * 2:
                t = time.perf_counter()
                search_solutions(client=client, prefix="bench", request=SearchRequest(q=q))
                direct.append((time.perf_counter() - t) * 1000)
            print(f"search function, one at a time: p50 {percentile(direct, 50):.1f} ms, p95 {percentile(direct, 95):.1f} ms")
            env = {**os.environ, "MARKET_DATABASE_URL": database_url, "MEILI_URL": server.url,
                   "MEILI_MASTER_KEY": server.key, "MARKET_MEILI_INDEX_PREFIX": "bench",
                   "MARKET_SECRET_KEY": secrets.token_urlsafe(32), "MARKET_VAR_DIR": str(tmp / "var")}
            port = free_port()
            app = serve(env, port, workers)
            try:
                mixed = traffic(queries)
                warm(port, mixed)
                times = one_at_a_time(port, queries)
                print(f"GET /api/search one at a time: p50 {percentile(times, 50):.1f} ms, "
                      f"p95 {percentile(times, 95):.1f} ms  (target p95 ≤ 10 ms)")
                if shutil.which("wrk"):
                    wrk(port, mixed, max(5, seconds // 2), tmp)  # unmeasured: the engine's caches as in service
                    print(f"wrk -t2 -c32 over {len(mixed)} different queries, GET /api/search:")
                    api = wrk(port, mixed, seconds, tmp)
                    print(api)
                    print("the same queries straight to Meilisearch (POST /indexes/…/search, limit 10):")
                    raw = wrk_meilisearch(server.url, server.key, "bench_solutions", mixed, seconds, tmp)
                    print(raw)
                    print(f"API / raw Meilisearch throughput: {_rate(api) / _rate(raw):.2f}  (target ≥ 0.9)")
                else:
                    print("wrk not installed (apt-get install wrk): throughput not measured")
                print(f"app memory (uvicorn, {workers} worker(s), candidate stores warm): {app_memory_mb(app):.0f} MB")
            finally:
                app.terminate()
                app.wait(timeout=30)
            if shutil.which("wrk"):
                threaded = _threaded_rate(env, workers, mixed, seconds, tmp)
                print(f"the same API with each search blocking in a worker thread (MARKET_SEARCH_IN_THREAD): "
                      f"{threaded:.0f}/s; the steps on the event loop serve {_rate(api) / threaded:.2f}× as many "
                      f"(kept while ≥ 1.15)")


def _threaded_rate(env: dict[str, str], workers: int, mixed: list[str], seconds: int, tmp: Path) -> float:
    """Requests per second of GET /api/search when every search runs blocking in a thread."""
    port = free_port()
    app = serve({**env, "MARKET_SEARCH_IN_THREAD": "true"}, port, workers)
    try:
        warm(port, mixed)
        wrk(port, mixed, max(5, seconds // 2), tmp)  # unmeasured, as for the first run
        return _rate(wrk(port, mixed, seconds, tmp))
    finally:
        app.terminate()
        app.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--calibrate", action="store_true",
                        help="also time raw Meilisearch indexing of the same solutions, as a yardstick")
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn workers (on 2 cores one, leaving the other to Meilisearch and wrk, does best)")
    args = parser.parse_args()
    if not args.skip_quality:
        quality()
    scale(args.solutions, args.seconds, args.calibrate, args.workers)


if __name__ == "__main__":
    main()
