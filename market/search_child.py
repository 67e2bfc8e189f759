"""The local Meilisearch child of `market serve`: one per data directory, supervised.

- A lock on `var/meili.lock` (flock, released by the OS whatever way the process ends) is held
  for as long as `market serve` runs: a second serve on the same data directory is refused a
  child of its own instead of starting another server on the same files.
- The child's pid is kept in `var/meili.pid`. A child left behind by a serve that was killed
  (kill -9 leaves it running) is found at the next start — a live process whose command line
  names our data directory — and stopped before the new child starts.
- A supervisor thread asks the child's /health every second; when the process has exited, or
  three checks in a row fail, it restarts the child on the same port, with the same data and
  key, waiting 1, 2, 4 … up to 30 s between failed attempts, and logs each step. The app's
  search client reconnects by itself once the port answers again, and writes made meanwhile
  wait in the outbox, so search recovers without restarting the app and no write is lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

log = logging.getLogger("market.search")

CHECK_EVERY_S = 1.0
FAILURES_BEFORE_RESTART = 3
FIRST_BACKOFF_S = 1.0
LONGEST_BACKOFF_S = 30.0


class SearchDirectoryBusy(RuntimeError):
    """Another live `market serve` holds the data directory's lock."""


@contextlib.contextmanager
def directory_lock(path: Path) -> Iterator[IO[str]]:
    """Hold an exclusive lock on `path` for the body; SearchDirectoryBusy when another process has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise SearchDirectoryBusy(f"另一个 market serve 正在使用搜索数据目录 {path.parent}") from exc
        yield handle
    finally:
        handle.close()  # closing releases the lock


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reclaim_orphan(pid_file: Path, data_dir: Path) -> int | None:
    """Stop a child left running by an earlier serve (its pid in `pid_file`, its command line naming
    `data_dir`); returns its pid, or None when there was none. Called with the directory lock held."""
    try:
        pid = int(pid_file.read_text("utf-8").strip())
    except (OSError, ValueError):
        return None
    if pid <= 1 or not _alive(pid) or str(data_dir) not in _cmdline(pid):
        pid_file.unlink(missing_ok=True)
        return None
    log.warning("发现上次未退出的 Meilisearch 进程 %s（数据目录 %s），正在停止", pid, data_dir)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _alive(pid) and str(data_dir) in _cmdline(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid) and str(data_dir) in _cmdline(pid):
        os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    return pid


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


class Supervisor:
    """Keep a LocalMeilisearch running: check its health, restart it with backoff when it fails."""

    def __init__(self, server: Any, pid_file: Path, *, every_s: float = CHECK_EVERY_S) -> None:
        self.server = server
        self.pid_file = pid_file
        self.every_s = every_s
        self.restarts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="search-supervisor", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        failures, backoff = 0, FIRST_BACKOFF_S
        while not self._stop.wait(self.every_s):
            process = self.server.process
            exited = process is None or process.poll() is not None
            failures = 0 if not exited and _healthy(self.server.url) else failures + 1
            if not exited and failures < FAILURES_BEFORE_RESTART:
                continue
            if self._restart(exited):
                failures, backoff = 0, FIRST_BACKOFF_S
            elif self._stop.wait(backoff):
                return
            else:
                backoff = min(backoff * 2, LONGEST_BACKOFF_S)

    def _restart(self, exited: bool) -> bool:
        why = "已退出" if exited else f"连续 {FAILURES_BEFORE_RESTART} 次健康检查失败"
        log.warning("Meilisearch %s，正在重启（端口 %s）", why, self.server.port)
        try:
            self.server.restart()
        except Exception as exc:  # a failed start is retried after the backoff
            log.error("Meilisearch 重启失败：%s", exc)
            return False
        self.restarts += 1
        write_pid(self.pid_file, self.server)
        log.warning("Meilisearch 已恢复（第 %s 次重启）", self.restarts)
        return True


def write_pid(pid_file: Path, server: Any) -> None:
    if server.process is not None:
        pid_file.write_text(str(server.process.pid), "utf-8")


@contextlib.contextmanager
def supervised(server: Any, var_dir: Path, *, every_s: float = CHECK_EVERY_S) -> Iterator[Supervisor]:
    """Run `server` (a search_index.server.LocalMeilisearch) as the one supervised child of its data
    directory: lock, reclaim an orphan, start, supervise; stop it all on exit.

    Raises SearchDirectoryBusy when another live process holds the directory, and whatever
    `server.start()` raises when the child cannot start.
    """
    pid_file = var_dir / "meili.pid"
    with directory_lock(var_dir / "meili.lock"):
        reclaim_orphan(pid_file, Path(server.data_dir))
        server.start()
        write_pid(pid_file, server)
        supervisor = Supervisor(server, pid_file, every_s=every_s)
        supervisor.start()
        try:
            yield supervisor
        finally:
            supervisor.stop()
            server.stop()
            pid_file.unlink(missing_ok=True)
