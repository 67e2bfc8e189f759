"""A local Meilisearch server as a child process (the default when MEILI_URL is empty)."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HEALTH_TIMEOUT_S = 30.0


class MeilisearchStartError(RuntimeError):
    """The binary is missing, or the server did not become healthy in time."""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def master_key(var_dir: Path) -> str:
    """The master key of the local server, generated once and kept under `var_dir`."""
    path = var_dir / "meili_master_key"
    if path.exists():
        key = path.read_text("utf-8").strip()
        if len(key) >= 16:
            return key
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path.write_text(key, "utf-8")
    path.chmod(0o600)
    return key


# The child dies with the process that started it where the OS allows (Linux: setpriv from
# util-linux sets PR_SET_PDEATHSIG, then execs the server under the same pid), so a serve
# killed with kill -9 leaves no server behind; elsewhere the pid file and the directory lock
# of market.search_child reclaim it at the next start.
_TIED_TO_PARENT = ["setpriv", "--pdeathsig", "TERM"] if sys.platform == "linux" and shutil.which("setpriv") else []


class LocalMeilisearch:
    """Run `meilisearch` as a child process on a free loopback port.

    Use as a context manager: on entry the server is started and /health answered,
    on exit (or SIGTERM to this process while it runs) it is stopped. `stop()` and
    `start()` may be called in between; a restart keeps the port, data and key.

    Args:
        binary: path of the meilisearch executable.
        data_dir: where the server keeps its database (created if missing).
        key: the master key; generated and persisted under `data_dir.parent` when None.
        port: the port to listen on; a free one when None.
    """

    def __init__(self, *, binary: Path, data_dir: Path, key: str | None = None, port: int | None = None) -> None:
        self.binary = Path(binary).resolve()
        self.data_dir = Path(data_dir).resolve()
        self.key = key or master_key(self.data_dir.parent)
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._previous_sigterm: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server (no-op when running) and wait until it is healthy."""
        if self.process is not None and self.process.poll() is None:
            return
        if not self.binary.exists():
            raise MeilisearchStartError(
                f"找不到 Meilisearch 可执行文件 {self.binary}，请先运行 bash scripts/install_meilisearch.sh"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.data_dir.parent / f"{self.data_dir.name}.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [*_TIED_TO_PARENT, str(self.binary), "--db-path", str(self.data_dir / "data.ms"),
             "--dump-dir", str(self.data_dir / "dumps"), "--snapshot-dir", str(self.data_dir / "snapshots"),
             "--http-addr", f"127.0.0.1:{self.port}",
             "--env", "production", "--no-analytics", "--log-level", "WARN",
             "--max-indexing-threads", str(os.cpu_count() or 2)],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL, cwd=str(self.data_dir),
            # The key goes in the environment, not on the command line, where every local
            # user's `ps` would show it (/proc/<pid>/environ is readable by the owner only).
            env={**_child_env(), "MEILI_MASTER_KEY": self.key},
        )
        log.close()
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise MeilisearchStartError(f"Meilisearch 启动失败，退出码 {self.process.returncode}")
            with contextlib.suppress(OSError, urllib.error.URLError):
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                    if response.status == 200:
                        return
            time.sleep(0.05)
        self.stop()
        raise MeilisearchStartError(f"Meilisearch 在 {HEALTH_TIMEOUT_S:.0f} 秒内没有就绪")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s); no-op when not running."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def restart(self) -> None:
        """Stop and start again on the same port, with the same data and key."""
        self.stop()
        self.start()

    def _on_sigterm(self, signum: int, frame: types.FrameType | None) -> None:
        self.stop()
        previous = self._previous_sigterm
        if callable(previous):
            previous(signum, frame)
        else:
            raise SystemExit(128 + signum)

    def __enter__(self) -> LocalMeilisearch:
        self.start()
        with contextlib.suppress(ValueError):  # only possible in the main thread
            self._previous_sigterm = signal.signal(signal.SIGTERM, self._on_sigterm)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous_sigterm is not None:
            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        self.stop()


def local_server_from_settings(settings: Any) -> LocalMeilisearch:
    """A `LocalMeilisearch` configured from `market.settings.Settings` (data under var/meili)."""
    var_dir = Path(settings.var_dir)
    return LocalMeilisearch(binary=Path(settings.meili_binary), data_dir=var_dir / "meili")


def _child_env() -> dict[str, str]:
    """The server's environment: ours, less any MEILI_* setting meant for the app's client
    (MEILI_URL and the like would otherwise be read as server options)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("MEILI_")}
