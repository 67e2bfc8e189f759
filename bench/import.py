"""Bulk import benchmark: a generated 20,000-solution workbook (plus its providers)
imported into a fresh SQLite database, and PostgreSQL when MARKET_TEST_POSTGRES_URL is
set. Prints rows/s and peak memory (max RSS of the importing process).

    .venv/bin/python bench/import.py [--solutions 20000] [--providers 400]

Targets: >= 2,000 rows/s, < 500 MB peak. The machine may be shared: the CPU time of the
importing process is printed too (rows per CPU-second is the figure that load does not skew;
the server side of PostgreSQL runs in other processes and is not in it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook

from catalog.exchange.format import SHEET_BY_KEY
from catalog.taxonomy import taxonomy
from catalog.validation import make_uscc

WORDS = ("批次追溯", "配方管理", "设备点检", "能耗看板", "扫码出入库", "排产", "质量检验", "工单报工", "经销商订货",
         "财务共享", "考勤计件", "安全巡检", "环保监测", "数据采集", "供应商协同", "售后工单")


def generate(path: Path, solutions: int, providers: int, seed: int = 7) -> None:
    """Write a workbook in the exchange format with write_only (low memory)."""
    rng = random.Random(seed)
    tax = taxonomy()
    industries = list(tax.industries)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("服务商")
    sheet.append([c.title for c in SHEET_BY_KEY["providers"].columns])
    usccs = [make_uscc(f"bench-provider-{i}") for i in range(providers)]
    for i, uscc in enumerate(usccs):
        sheet.append([f"测试{i}号数字科技有限公司", uscc, rng.choice(["综合服务商", "专业服务商"]), "江西省九江市濂溪区",
                      "江西省", "；".join(rng.sample(industries, 3)), "、".join(rng.sample(tax.scenarios, 3)),
                      "本地数字化服务商，提供诊断、实施和运维。", "CMMI3", 20, "张三", f"139{i:08d}"])
    sheet = workbook.create_sheet("产品和解决方案")
    sheet.append([c.title for c in SHEET_BY_KEY["solutions"].columns])
    for i in range(solutions):
        words = rng.sample(WORDS, 3)
        sheet.append([f"B-{i:06d}", f"{words[0]}系统{i}", usccs[i % providers], "；".join(rng.sample(industries, 2)),
                      "、".join(rng.sample(tax.scenarios, 2)),
                      f"面向中小制造企业的{words[0]}和{words[1]}，支持{words[2]}，开箱即用，对接现有ERP与设备。",
                      rng.choice(tax.deployment), round(rng.uniform(0.5, 80), 1), rng.choice(tax.billing),
                      rng.randint(7, 180), rng.choice(["规上", "规下", "均可"]), rng.choice(["二级", "三级", "四级"]),
                      ";".join(words)])
    workbook.save(path)


def child(url: str, path: Path) -> None:
    """Migrate, import, commit; print one JSON line of figures."""
    from catalog.db import session_scope
    from catalog.exchange.imports import import_paths
    from market.database import migrate

    migrate(url)
    read_cpu = _read_cpu(path)
    start, cpu_start = time.perf_counter(), time.process_time()
    with session_scope(url) as session:
        report = import_paths(session=session, paths=[path], actor="bench")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": report.rows, "seconds": round(seconds, 2), "rows_per_s": round(report.rows / seconds),
                      "cpu_s": round(cpu, 2), "rows_per_cpu_s": round(report.rows / cpu),
                      "peak_mb": round(peak_mb), "read_cpu_s": round(read_cpu, 2)}))


def _read_cpu(path: Path) -> float:
    """CPU seconds of reading the workbook alone (catalog/xlsx.py over openpyxl), no validation or writes."""
    from catalog import xlsx

    cpu_start = time.process_time()
    with xlsx.open_workbook(str(path)) as workbook:
        for title in workbook.sheetnames:
            for _row in xlsx.sheet_rows(workbook, title):
                pass
    return time.process_time() - cpu_start


def run(label: str, url: str, path: Path) -> None:
    out = subprocess.run([sys.executable, __file__, "--child", url, str(path)], capture_output=True, text=True,
                         check=False, timeout=900)
    if out.returncode != 0:
        print(f"{label}: failed\n{out.stderr[-2000:]}")
        return
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{label:<10} {figures['rows']:>6} rows  {figures['seconds']:>6.2f} s  {figures['rows_per_s']:>6} rows/s  "
          f"(CPU {figures['cpu_s']:.2f} s: {figures['rows_per_cpu_s']} rows per CPU-second)  "
          f"peak {figures['peak_mb']} MB; reading the workbook alone: CPU {figures['read_cpu_s']:.2f} s")


def _postgres_database(admin_url: str) -> tuple[str, str]:
    name = f"szt_bench_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return name, sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--solutions", type=int, default=20_000)
    parser.add_argument("--providers", type=int, default=400)
    parser.add_argument("--child", nargs=2, metavar=("URL", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        start = time.perf_counter()
        generate(path, args.solutions, args.providers)
        print(f"workbook: {args.solutions} solutions + {args.providers} providers, "
              f"{path.stat().st_size / 1e6:.1f} MB, generated in {time.perf_counter() - start:.1f} s")
        run("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", path)
        admin = os.environ.get("MARKET_TEST_POSTGRES_URL", "")
        if admin:
            name, url = _postgres_database(admin)
            try:
                run("postgresql", url, path)
            finally:
                engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
                with engine.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                engine.dispose()


if __name__ == "__main__":
    main()
