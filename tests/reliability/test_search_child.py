"""The local Meilisearch child under `market serve` (findings 8 and 9), with the real binary:
killed, it is restarted on its port with its data; a second serve on the same data directory is
refused; a child left running by a killed serve is stopped before a new one starts."""

from __future__ import annotations

import secrets
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from market.search_child import SearchDirectoryBusy, supervised
from search_index.server import LocalMeilisearch

BINARY = Path(__file__).resolve().parents[2] / "vendor" / "meilisearch" / "meilisearch"
pytestmark = pytest.mark.skipif(not BINARY.exists(), reason="Meilisearch 未安装（bash scripts/install_meilisearch.sh）")


def _server(var_dir: Path) -> LocalMeilisearch:
    return LocalMeilisearch(binary=BINARY, data_dir=var_dir / "meili", key=secrets.token_urlsafe(24))


def _indexes(server: LocalMeilisearch) -> list[str]:
    request = urllib.request.Request(f"{server.url}/indexes", headers={"Authorization": f"Bearer {server.key}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        import json

        return [i["uid"] for i in json.loads(response.read())["results"]]


def _create_index(server: LocalMeilisearch, uid: str) -> None:
    body = f'{{"uid": "{uid}"}}'.encode()
    request = urllib.request.Request(f"{server.url}/indexes", data=body, method="POST", headers={
        "Authorization": f"Bearer {server.key}", "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).close()
    for _ in range(200):
        if uid in _indexes(server):
            return
        time.sleep(0.05)
    raise AssertionError("index not created")


def _until(condition, limit_s: float = 90.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll `condition` every 0.1 s until it holds (True), at most about `limit_s` worth of polls (False)."""
    for _ in range(int(limit_s / 0.1)):
        if condition():
            return True
        time.sleep(0.1)
    return bool(condition())


def _healthy(server: LocalMeilisearch) -> bool:
    try:
        with urllib.request.urlopen(f"{server.url}/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def test_a_killed_child_is_restarted_on_its_port_with_its_data(tmp_path: Path) -> None:
    server = _server(tmp_path)
    with supervised(server, tmp_path, every_s=0.2) as supervisor:
        _create_index(server, "kept")
        port, first = server.port, server.process.pid  # type: ignore[union-attr]
        server.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
        assert _until(lambda: supervisor.restarts >= 1 and _healthy(server))
        assert server.port == port and server.process.pid != first  # type: ignore[union-attr]
        assert "kept" in _indexes(server)
        assert (tmp_path / "meili.pid").read_text() == str(server.process.pid)  # type: ignore[union-attr]
    assert not (tmp_path / "meili.pid").exists() and server.process is None


def test_a_second_serve_on_the_same_directory_gets_no_child_of_its_own(tmp_path: Path) -> None:
    with supervised(_server(tmp_path), tmp_path, every_s=0.5):
        second = _server(tmp_path)
        with pytest.raises(SearchDirectoryBusy), supervised(second, tmp_path):
            pass
        assert second.process is None


def test_a_child_left_by_a_killed_serve_is_stopped_before_a_new_one_starts(tmp_path: Path) -> None:
    orphan = _server(tmp_path)
    orphan.start()  # started by a serve that then died (kill -9): nobody will stop it
    assert orphan.process is not None
    (tmp_path / "meili.pid").write_text(str(orphan.process.pid))
    left = orphan.process
    server = _server(tmp_path)
    with supervised(server, tmp_path, every_s=0.5):
        assert left.wait(timeout=30) is not None  # the orphan was stopped
        assert _healthy(server) and server.process is not None and server.process.pid != left.pid


def test_the_child_dies_with_a_serve_killed_outright(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from search_index.server import LocalMeilisearch\n"
        f"server = LocalMeilisearch(binary=Path({str(BINARY)!r}), data_dir=Path({str(tmp_path / 'meili')!r}), key='k' * 24)\n"
        "server.start()\n"
        "print(server.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    root = Path(__file__).resolve().parents[2]
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(root)})
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)

    def gone() -> bool:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return True
        return Path(f"/proc/{child}/stat").read_text().split()[2] == "Z"  # exited, not yet reaped

    assert _until(gone, limit_s=30)
