"""Load test: a mixed workload (70% search, 15% browse, 10% match, 5% writes) from many
concurrent clients against `market serve` (PostgreSQL, N uvicorn workers, the local
Meilisearch and the outbox worker) on loopback, for a bounded time.

Prints throughput, p50/p95/p99 per endpoint, errors (5xx and transport errors; a 409 on
a write is an expected outcome of optimistic concurrency, counted apart), and the CPU
time each process used, which names what limits the throughput.

    .venv/bin/python bench/load.py [--seconds 300] [--clients 64] [--workers 2]
    .venv/bin/python bench/load.py --fault [--seconds 60] [--clients 32]

The fault run: the clients only search, a write every half second goes on beside them, and a
third of the way in the Meilisearch child of `market serve` is killed (SIGKILL). It prints how
long search was down (from the kill to the first answer after which none failed), the share of
5xx and connection errors before, during and after, and whether every write made during the
run reached the index (the outbox drained) — with no restart of the app.

PostgreSQL: the test cluster of scripts/start_postgres.sh (a fresh database is created
and dropped), or --database-url.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from api import free_port, prepare_database  # noqa: E402

QUERIES = ROOT.parent / "shared" / "data" / "judged" / "queries.json"
CLIENT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)
MIX = (("search", 70), ("browse", 15), ("match", 10), ("write", 5))
PASSWORD = "demo12345"


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    transport_errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: dict[tuple[str, int | str], str] = field(default_factory=dict)  # first body per unexpected status or error

    def record(self, name: str, status: int, seconds: float) -> None:
        self.latencies[name].append(seconds * 1000)
        self.statuses[name][status] += 1


def create_database(admin_url: str) -> str:
    name = f"szt_load_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def start_serve(url: str, var_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MARKET_DATABASE_URL": url, "MARKET_VAR_DIR": str(var_dir), "MEILI_URL": "",
           "MARKET_SECRET_KEY": "bench-secret"}
    command = [str(Path(sys.executable).with_name("market")), "serve", "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True)


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to `market serve`, which stops its workers, then the index sync, then
    Meilisearch, in that order; the whole process group only if it does not exit."""
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    """Until the search answers with hits (the outbox worker has indexed the demo data)."""
    deadline, last = time.monotonic() + 180, ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"market serve 已退出，退出码 {process.returncode}")
        try:
            response = httpx.get(f"{base}/api/search?q=MES", timeout=2)
            if response.status_code == 200 and response.json()["total"] > 0:
                return
            last = f"{response.status_code} {response.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.5)
    raise SystemExit(f"market serve 在 180 秒内没有就绪（最后一次：{last}）")


def login(base: str, username: str) -> dict[str, str]:
    response = httpx.post(f"{base}/api/auth/token", json={"username": username, "password": PASSWORD}, timeout=10)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


class Workload:
    """The operations the clients draw from, with the ids and tokens they need."""

    def __init__(self, base: str, queries: list[str]) -> None:
        self.queries = queries
        self.bureau = login(base, "admin_bureau")
        listing = httpx.get(f"{base}/api/solutions?per_page=100", headers=self.bureau, timeout=10).json()
        self.solutions = [s["id"] for s in listing["data"]]
        self.writable = list(self.solutions)  # a bureau edits only its regions' listings: 403s drop out
        enterprises = httpx.get(f"{base}/api/enterprises?per_page=100", headers=self.bureau, timeout=10).json()
        self.enterprises = [e["id"] for e in enterprises["data"]]

    async def run(self, client: aiohttp.ClientSession, kind: str, stats: Stats) -> None:
        if kind == "search":
            await self._get(client, stats, "search", "/api/search", {"q": random.choice(self.queries)})
        elif kind == "browse":
            choice = random.random()
            if choice < 0.4:
                await self._get(client, stats, "browse:list", "/api/solutions", {"page": random.randint(1, 5)})
            elif choice < 0.8:
                await self._get(client, stats, "browse:detail", f"/api/solutions/{random.choice(self.solutions)}", {})
            else:
                await self._get(client, stats, "browse:page", "/solutions", {"page": random.randint(1, 5)})
        elif kind == "match":
            await self._get(client, stats, "match", f"/api/enterprises/{random.choice(self.enterprises)}/matches",
                            {}, self.bureau)
        else:
            await self._write(client, stats)

    async def _get(self, client: aiohttp.ClientSession, stats: Stats, name: str, path: str,
                   params: dict[str, str | int], headers: dict[str, str] | None = None) -> None:
        started = time.perf_counter()
        try:
            async with client.get(path, params=params, headers=headers) as response:
                body = await response.read()
        except CLIENT_ERRORS as exc:
            stats.transport_errors[name] += 1
            stats.samples.setdefault((name, type(exc).__name__), str(exc)[:200])
            return
        stats.record(name, response.status, time.perf_counter() - started)
        if response.status >= 400:
            stats.samples.setdefault((name, response.status), body[:200].decode(errors="replace"))

    async def _write(self, client: aiohttp.ClientSession, stats: Stats) -> None:
        target = random.choice(self.writable)
        path = f"/api/solutions/{target}"
        started = time.perf_counter()
        try:
            async with client.get(path, headers=self.bureau) as current:
                record = await current.json()
            body = {"description": f"压测更新 {uuid.uuid4().hex[:8]}：" + record["description"][:200],
                    "version": record["version"]}
            async with client.patch(path, json=body, headers=self.bureau) as response:
                text = await response.text()
        except (*CLIENT_ERRORS, KeyError, ValueError) as exc:
            stats.transport_errors["write"] += 1
            stats.samples.setdefault(("write", type(exc).__name__), str(exc)[:200])
            return
        stats.record("write", response.status, time.perf_counter() - started)
        if response.status == 403 and len(self.writable) > 1 and target in self.writable:
            self.writable.remove(target)
        if response.status not in (200, 403, 409):
            stats.samples.setdefault(("write", response.status), text[:200])


async def drive(base: str, workload: Workload, clients: int, seconds: float) -> tuple[Stats, float]:
    """`clients` closed-loop clients, each on its own kept-alive connection, for `seconds`.

    aiohttp rather than httpx: on this 2-core machine httpx's pool took more CPU than the
    server it measured, which capped the figures at the client's speed."""
    stats = Stats()
    kinds = [k for k, weight in MIX for _ in range(weight)]
    connector = aiohttp.TCPConnector(limit=clients)
    headers = {"Accept-Encoding": "identity"}  # compression costs more than it saves on loopback
    async with aiohttp.ClientSession(base, connector=connector, headers=headers,
                                     timeout=aiohttp.ClientTimeout(total=30)) as client:
        deadline = time.monotonic() + seconds

        async def one_client() -> None:
            while time.monotonic() < deadline:
                await workload.run(client, random.choice(kinds), stats)

        started = time.monotonic()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        return stats, time.monotonic() - started


@dataclass
class Timeline:
    """Every search answer of a fault run as (seconds since start, status; 0 = connection error)."""

    answers: list[tuple[float, int]] = field(default_factory=list)
    writes: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    killed_at: float | None = None


def meilisearch_child(root_pid: int) -> int | None:
    """The pid of the Meilisearch child of `market serve`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2:].split()[1]) == root_pid and "meilisearch" in cmdline:
            return int(entry.name)
    return None


async def drive_fault(base: str, workload: Workload, clients: int, seconds: float, serve_pid: int) -> Timeline:
    """`clients` searching for `seconds`, writes beside them, the Meilisearch child killed at a third."""
    timeline, stats = Timeline(), Stats()
    connector = aiohttp.TCPConnector(limit=clients + 1)
    async with aiohttp.ClientSession(base, connector=connector, headers={"Accept-Encoding": "identity"},
                                     timeout=aiohttp.ClientTimeout(total=30)) as client:
        started = time.monotonic()
        deadline = started + seconds

        async def searcher() -> None:
            while time.monotonic() < deadline:
                try:
                    async with client.get("/api/search", params={"q": random.choice(workload.queries)}) as response:
                        await response.read()
                        status = response.status
                except CLIENT_ERRORS:
                    status = 0
                timeline.answers.append((time.monotonic() - started, status))

        async def writer() -> None:
            while time.monotonic() < deadline:
                before = dict(stats.statuses["write"])
                await workload._write(client, stats)
                for code, count in stats.statuses["write"].items():
                    timeline.writes[code] += count - before.get(code, 0)
                await asyncio.sleep(0.5)

        async def killer() -> None:
            await asyncio.sleep(seconds / 3)
            pid = meilisearch_child(serve_pid)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                timeline.killed_at = time.monotonic() - started

        await asyncio.gather(killer(), writer(), *(searcher() for _ in range(clients)))
    return timeline


def pending_outbox(url: str) -> int:
    with sa.create_engine(url).connect() as conn:
        return int(conn.execute(sa.text("SELECT COUNT(*) FROM outboxentry WHERE processed_at IS NULL")).scalar_one())


def report_fault(timeline: Timeline, url: str) -> None:
    """The outage, the error shares around it, and whether the writes were all indexed."""
    killed = timeline.killed_at
    if killed is None:
        print("未找到 Meilisearch 子进程，未注入故障")
        return
    failed = [t for t, status in timeline.answers if t >= killed and (status == 0 or status >= 500)]
    recovered = max(failed) if failed else killed
    print(f"故障：第 {killed:.1f} 秒杀死 Meilisearch 子进程；搜索中断 {recovered - killed:.1f} 秒（未重启应用）")
    spans = (("故障前", lambda t: t < killed), ("中断期间", lambda t: killed <= t <= recovered),
             ("恢复后", lambda t: t > recovered))
    for label, inside in spans:
        answers = [s for t, s in timeline.answers if inside(t)]
        bad = sum(1 for s in answers if s == 0 or s >= 500)
        share = bad / len(answers) * 100 if answers else 0.0
        print(f"  {label}：{len(answers)} 次搜索，5xx 或连接错误 {bad} 次（{share:.1f}%）")
    deadline = time.monotonic() + 60
    while pending_outbox(url) and time.monotonic() < deadline:
        time.sleep(0.5)
    codes = ", ".join(f"{c}×{n}" for c, n in sorted(timeline.writes.items()))
    print(f"写入：{codes}；未进入索引的写入：{pending_outbox(url)}")


def cpu_seconds(root_pid: int, database: str) -> dict[str, float]:
    """CPU seconds (user + system) of the server's processes, by role: the `market serve`
    process (uvicorn supervisor and the outbox worker), its uvicorn workers, Meilisearch,
    and the PostgreSQL backends serving `database`."""
    ticks = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        name = _process_label(int(entry.name), int(fields[1]), cmdline, root_pid, database)
        if name:
            out[name] += (int(fields[11]) + int(fields[12])) / ticks
    return out


def machine_busy_seconds() -> float:
    """CPU seconds all processes on the machine spent busy (from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _process_label(pid: int, ppid: int, cmdline: str, root_pid: int, database: str) -> str:
    if pid == root_pid:
        return "market serve（含索引同步）"
    if ppid == root_pid:
        return "meilisearch" if "meilisearch" in cmdline else "uvicorn 工作进程"
    if cmdline.startswith("postgres:") and f" {database} " in cmdline:
        return "postgresql"
    return ""


def report(stats: Stats, elapsed: float, cpu: dict[str, float], args: argparse.Namespace) -> None:
    total = sum(len(v) for v in stats.latencies.values())
    print(f"负载：{args.clients} 个并发客户端，{args.workers} 个工作进程，PostgreSQL，{elapsed:.0f} 秒")
    print(f"吞吐：{total / elapsed:.1f} 请求/秒（共 {total} 个）")
    print(f"{'接口':<16}{'请求数':>8}{'p50(ms)':>10}{'p95(ms)':>10}{'p99(ms)':>10}  状态码")
    for name in sorted(stats.latencies):
        values = sorted(stats.latencies[name])
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        codes = ", ".join(f"{c}×{n}" for c, n in sorted(stats.statuses[name].items()))
        print(f"{name:<16}{len(values):>8}{q[49]:>10.1f}{q[94]:>10.1f}{q[98]:>10.1f}  {codes}")
    server_errors = sum(n for s in stats.statuses.values() for c, n in s.items() if c >= 500)
    for (name, code), body in sorted(stats.samples.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        print(f"  {name} {code}：{body}")
    print(f"5xx：{server_errors}；连接错误：{sum(stats.transport_errors.values())}")
    busy = sorted(cpu.items(), key=lambda kv: -kv[1])
    print(f"负载均值（1 分钟）：{os.getloadavg()[0]:.1f}（本机 {os.cpu_count()} 核）")
    print("CPU 占用（压测期间，占 2 核总量的比例）：" + "，".join(
        f"{k} {v / elapsed / (os.cpu_count() or 1) * 100:.0f}%" for k, v in busy))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--fault", action="store_true", help="kill the Meilisearch child a third of the way in")
    args = parser.parse_args()
    admin = args.database_url or subprocess.run(["bash", str(ROOT / "scripts" / "start_postgres.sh")],
                                                check=True, capture_output=True, text=True).stdout.strip()
    url = admin if args.database_url else create_database(admin)
    queries = [q["text"] for q in json.loads(QUERIES.read_text("utf-8"))]
    with tempfile.TemporaryDirectory(prefix="szt-load-") as tmp:
        prepare_database(url)
        port = free_port()
        server = start_serve(url, Path(tmp), port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base, server)
            workload = Workload(base, queries)
            if args.fault:
                report_fault(asyncio.run(drive_fault(base, workload, args.clients, args.seconds, server.pid)), url)
                return
            client_cpu = time.process_time()
            database = sa.engine.make_url(url).database or ""
            before, machine = cpu_seconds(server.pid, database), machine_busy_seconds()
            stats, elapsed = asyncio.run(drive(base, workload, args.clients, args.seconds))
            after = cpu_seconds(server.pid, database)
            cpu = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
            cpu["压测客户端"] = time.process_time() - client_cpu
            cpu["本机其他进程"] = max(0.0, machine_busy_seconds() - machine - sum(cpu.values()))
            report(stats, elapsed, cpu, args)
        finally:
            stop(server)
            if not args.database_url:
                drop_database(admin, url)


if __name__ == "__main__":
    main()
