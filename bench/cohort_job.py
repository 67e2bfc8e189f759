"""The cohort-matching background job end to end: enqueue → claim → read the database →
match → allocate → store the result JSON, on SQLite, at a few cohort sizes over the demo
catalogue. Prints, per size: the job's wall time, the pure matcher's time on the same
records (the difference is the job's own cost: reading rows, progress writes, building and
storing the JSON), the progress writes made, and the stored result's size.

    .venv/bin/python bench/cohort_job.py [--sizes 0,500,2000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from match_synthetic import synthetic_cohort  # noqa: E402

from catalog.db import get_engine, session_scope  # noqa: E402
from catalog.enterprises.models import Enterprise, Need  # noqa: E402
from catalog.enterprises.queries import cohort_members  # noqa: E402
from market import jobs  # noqa: E402
from market.database import migrate  # noqa: E402
from market.matching.cohort_job import KIND, scope_of  # noqa: E402
from market.matching.context import enterprise_record, match_context, need_record  # noqa: E402
from market.models import Job  # noqa: E402
from matching.cohort import match_cohort  # noqa: E402
from seed.load import load_demo  # noqa: E402

REGION = "江西省九江市"


def demo_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    migrate(url)
    with session_scope(url) as session:
        load_demo(session=session, actor="bench")
    return url


def add_cohort(url: str, size: int) -> None:
    """`size` synthetic enterprises of 九江 with 4 needs each, written in bulk."""
    ents, needs = synthetic_cohort(size)
    rng = random.Random(3)
    with session_scope(url) as session:
        rows = [Enterprise(uscc=f"9136{i:014d}", name=f"九江合成测试企业{i:05d}有限公司",
                           region=f"{REGION}濂溪区", industry=e.industry or "C26", size=e.size or "规下",
                           level=e.level or "未评测", budget_wan=e.budget_wan, batch=rng.choice((1, 2)))
                for i, e in enumerate(ents)]
        session.add_all(rows)
        session.flush()
        ids = {e.id: row.id for e, row in zip(ents, rows, strict=True)}
        counters: dict[str, int] = {}
        for n in needs:
            counters[n.enterprise_id] = counters.get(n.enterprise_id, 0) + 1
            session.add(Need(enterprise_id=ids[n.enterprise_id], code=f"N{counters[n.enterprise_id]}",
                             text=n.text, scenario=n.scenario, priority=n.priority,
                             position=counters[n.enterprise_id]))


def count_progress_writes(url: str) -> list[int]:
    writes = [0]

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith("UPDATE job SET done="):
            writes[0] += 1

    event.listen(get_engine(url), "before_cursor_execute", before)
    return writes


def pure_match_seconds(url: str, params: dict[str, object]) -> float:
    with Session(get_engine(url)) as session:
        ents, needs = cohort_members(session=session, scope=scope_of(params))
        ctx = match_context(session)
        records, need_records = [enterprise_record(e) for e in ents], [need_record(n) for n in needs]
    start = time.perf_counter()
    match_cohort(enterprises=records, needs=need_records, ctx=ctx, k=5)
    return time.perf_counter() - start


def run_once(url: str) -> dict[str, float]:
    params = {"regions": [REGION], "region": None, "batch": None, "industry": None, "industry_codes": []}
    pure_match_seconds(url, params)  # warms the cached MatchContext and its text readings
    pure = pure_match_seconds(url, params)
    with session_scope(url) as session:
        job_id = jobs.enqueue(session=session, kind=KIND, params=params, created_by="bench").id
    writes = count_progress_writes(url)
    start = time.perf_counter()
    jobs.drain(database_url=url)
    wall = time.perf_counter() - start
    with Session(get_engine(url)) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.result is not None, "job vanished"
        if job.error:
            raise SystemExit(f"任务失败：{job.error}")
        size = len(json.dumps(job.result, ensure_ascii=False).encode())
        summary = job.result["summary"]
    return {"enterprises": summary["enterprises"], "needs": summary["needs"], "job_s": wall,
            "pure_s": pure, "writes": writes[0], "result_mb": size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,500,2000", help="synthetic enterprises added to the demo data")
    args = parser.parse_args()
    print(f"{'企业':>6} {'需求':>6} {'任务(s)':>8} {'纯匹配(s)':>9} {'任务开销(s)':>10} {'进度写入':>8} {'结果(MB)':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            url = demo_database(Path(folder))
            if size:
                add_cohort(url, size)
            row = run_once(url)
            get_engine(url).dispose()
        print(f"{row['enterprises']:>6} {row['needs']:>6} {row['job_s']:>8.2f} {row['pure_s']:>9.2f} "
              f"{row['job_s'] - row['pure_s']:>10.2f} {row['writes']:>8} {row['result_mb']:>8.2f}")


if __name__ == "__main__":
    main()
