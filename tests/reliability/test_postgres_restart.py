"""PostgreSQL restarted while the app serves requests: requests fail cleanly (503 with a
Chinese message, never a 500 or a hang) and succeed again once the server is back.

Runs on a throwaway cluster of its own (initdb in a temporary dir, a free port): the
shared test cluster of scripts/start_postgres.sh is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.db import get_engine
from market.app import create_app
from market.database import migrate
from market.settings import Settings
from search_index.server import free_port

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


class Cluster:
    """A private PostgreSQL cluster controlled with pg_ctl."""

    def __init__(self, root: Path) -> None:
        self.bin = PG_BINS[-1]
        self.data = root / "data"
        self.port = free_port()
        self.root = root
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.run_as, *args], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        if self.run_as:
            shutil.chown(self.root, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "szt", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o", options,
                  "start")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://szt@127.0.0.1:{self.port}/postgres?connect_timeout=3"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not PG_BINS:
        pytest.fail("未安装 PostgreSQL：请先运行 bash scripts/install_system.sh")
    root = Path(tempfile.mkdtemp(prefix="szt-pgfault-"))  # pytest's tmp dirs are closed to the postgres user
    root.chmod(0o755)
    server = Cluster(root)
    server.init()
    server.start()
    yield server
    get_engine(server.url).dispose()
    subprocess.run([*server.run_as, str(server.bin / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "stop"],
                   capture_output=True, timeout=60)
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.postgres
def test_requests_get_503_in_chinese_while_postgres_is_down_then_recover(cluster: Cluster, tmp_path: Path) -> None:
    migrate(cluster.url)
    settings = Settings(database_url=cluster.url, var_dir=tmp_path / "var", secret_key="k", meili_url="")
    with TestClient(create_app(settings, migrate_db=False), raise_server_exceptions=False) as client:
        assert client.get("/api/solutions").status_code == 200
        cluster.stop()
        for path in ("/api/solutions", "/api/providers", "/solutions"):
            down = client.get(path, headers={"Accept": "application/json"})
            assert down.status_code == 503, (path, down.status_code, down.text[:300])
            assert "数据库" in down.json()["message"]
        login = client.post("/api/auth/token", json={"username": "nobody", "password": "x" * 12})
        assert login.status_code == 503, login.text[:300]
        cluster.start()
        assert client.get("/api/solutions").status_code == 200
        assert client.get("/solutions").status_code == 200
