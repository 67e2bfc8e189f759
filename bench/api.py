"""Benchmark the JSON API: requests/s and p50/p99 latency of the solution list and detail
endpoints at 1 and 32 concurrent clients, against uvicorn on a loopback port over a fresh
SQLite database holding the demo data (seed/). Uses wrk when installed, else an httpx client.

    .venv/bin/python bench/api.py [--seconds 8] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_database(url: str) -> None:
    """Migrate and load the demo data."""
    from sqlmodel import Session

    from catalog.db import get_engine
    from market.database import migrate
    from seed.load import load_demo

    migrate(url)
    with Session(get_engine(url), expire_on_commit=False) as session:
        load_demo(session=session)
        session.commit()
    get_engine(url).dispose()


def start_server(url: str, var_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MARKET_DATABASE_URL": url, "MARKET_VAR_DIR": str(var_dir), "MEILI_URL": "",
           "MARKET_SECRET_KEY": "bench-secret"}
    command = [sys.executable, "-m", "uvicorn", "market.commands.serve:app_factory", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning",
               "--http", "market.tcp_nodelay:NoDelayHTTPProtocol"]  # as `market serve` passes it
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/solutions?per_page=1", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("服务未能在 60 秒内启动")


def run_wrk(url: str, connections: int, seconds: int) -> tuple[float, float, float]:
    out = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s",
                          "--latency", "-H", "Accept-Encoding: identity", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return rps, _wrk_ms(out, "50%"), _wrk_ms(out, "99%")


def _wrk_ms(out: str, label: str) -> float:
    match = re.search(rf"{re.escape(label)}\s+([\d.]+)(us|ms|s)", out)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


async def run_httpx(url: str, connections: int, seconds: int) -> tuple[float, float, float]:
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    async with httpx.AsyncClient(headers={"Accept-Encoding": "identity"}, timeout=30) as client:

        async def worker() -> None:
            while time.monotonic() < stop:
                started = time.perf_counter()
                (await client.get(url)).raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*[worker() for _ in range(connections)])
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, cuts[49], cuts[98]


def measure(url: str, connections: int, seconds: int) -> tuple[float, float, float]:
    if shutil.which("wrk"):
        return run_wrk(url, connections, seconds)
    return asyncio.run(run_httpx(url, connections, seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        prepare_database(url)
        port = free_port()
        server = start_server(url, Path(tmp), port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            first = httpx.get(f"{base}/api/solutions?per_page=1").json()["data"][0]["id"]
            targets = {"列表 /api/solutions?per_page=20": f"{base}/api/solutions?per_page=20",
                       f"详情 /api/solutions/{first}": f"{base}/api/solutions/{first}"}
            tool = "wrk" if shutil.which("wrk") else "httpx"
            print(f"工具 {tool}，uvicorn 进程数 {args.workers}，每项 {args.seconds} 秒，SQLite + 演示数据")
            for label, target in targets.items():
                for connections in (1, 32):
                    rps, p50, p99 = measure(target, connections, args.seconds)
                    print(f"{label:<36} 并发 {connections:>2}: {rps:8.1f} 次/秒  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
