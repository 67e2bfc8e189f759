"""`market serve` as a real process: it runs queued background jobs, and on SIGTERM stops its
workers and says goodbye in Chinese (exit code 0)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlmodel import Session

from catalog.db import get_engine
from market import jobs
from market.models import Job, JobStatus

MARKET = Path(sys.executable).with_name("market")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(predicate, seconds: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _job_status(database_url: str, job_id: int) -> str:
    with Session(get_engine(database_url)) as session:
        job = session.get(Job, job_id)
        return str(job.status) if job else ""


def test_serve_runs_jobs_and_stops_cleanly_on_sigterm(database_url: str, tmp_path: Path) -> None:
    with Session(get_engine(database_url)) as session:
        job = jobs.enqueue(session=session, kind="serve_probe_unknown_kind", params={}, created_by="test")
        session.commit()
        job_id = int(job.id or 0)
    port = _free_port()
    env = {**os.environ, "MARKET_DATABASE_URL": database_url, "MARKET_VAR_DIR": str(tmp_path / "var"),
           "MARKET_SECRET_KEY": "serve-test-secret", "MARKET_MEILI_BINARY": str(tmp_path / "no-meilisearch"),
           "MEILI_URL": "", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([str(MARKET), "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert _wait(lambda: _up(f"http://127.0.0.1:{port}/api/openapi.json")), "服务未能启动"
        # the worker thread picked the job up: an unknown kind ends as failed, with a Chinese error
        assert _wait(lambda: _job_status(database_url, job_id) == JobStatus.FAILED, 30)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert "数转通已启动" in output and output.rstrip().endswith("数转通已停止。"), output
    assert not _up(f"http://127.0.0.1:{port}/api/openapi.json")
