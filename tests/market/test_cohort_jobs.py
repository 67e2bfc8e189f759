"""Cohort matching as a background job: POST /api/cohorts/match, GET /api/jobs/{id}, and the
DB-backed job runner underneath (market/jobs.py), over the demo data."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from catalog.db import get_engine, session_scope
from catalog.enterprises.models import Enterprise
from catalog.providers.models import Provider
from catalog.records import utcnow
from market import jobs
from market.app import create_app
from market.models import Job, JobStatus
from market.settings import Settings
from seed.users import DEMO_PASSWORD

JIUJIANG, XINXIANG = "江西省九江市", "河南省新乡市"


@pytest.fixture
def demo_client(demo_database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=demo_database_url, var_dir=tmp_path / "var",
                        secret_key="test-secret-key", meili_url="")
    with TestClient(create_app(settings, migrate_db=False), base_url="http://testserver") as client:
        yield client


def headers(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def wait_for(client: TestClient, job_id: int, auth: dict[str, str]) -> dict[str, Any]:
    """Poll the job until it has finished (done or failed); a hung job is failed by the
    suite's pytest-timeout, not by a clock here."""
    while True:
        response = client.get(f"/api/jobs/{job_id}", headers=auth)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in (JobStatus.DONE, JobStatus.FAILED):
            return body
        assert body["status"] in (JobStatus.QUEUED, JobStatus.RUNNING)
        assert 0 <= body["done"] <= max(body["total"], 0) or body["total"] == 0
        time.sleep(0.1)


def start(client: TestClient, auth: dict[str, str], **body: Any) -> int:
    response = client.post("/api/cohorts/match", json=body, headers=auth)
    assert response.status_code == 202, response.text
    assert response.headers["location"] == response.json()["url"]
    return int(response.json()["job_id"])


def enterprises_in(database_url: str, region: str) -> set[int]:
    with Session(get_engine(database_url)) as session:
        rows = session.exec(select(Enterprise.id).where(col(Enterprise.region).startswith(region))).all()
        return {int(i) for i in rows if i is not None}


def test_bureau_starts_a_job_polls_it_and_gets_the_cohort_result(demo_client, demo_database_url) -> None:
    auth = headers(demo_client, "jiujiang_bureau")
    body = wait_for(demo_client, start(demo_client, auth), auth)
    assert body["status"] == JobStatus.DONE, body["error"]
    assert body["done"] == body["total"] > 0 and body["percent"] == 100
    assert body["params"]["regions"] == [JIUJIANG]
    result = body["result"]
    ids = {e["enterprise_id"] for e in result["enterprises"]}
    assert ids == enterprises_in(demo_database_url, JIUJIANG)  # its region, nobody else's
    summary = result["summary"]
    needs = [n for e in result["enterprises"] for n in e["needs"]]
    assert summary["needs"] == len(needs) == body["total"]
    assert summary["assigned"] == sum(1 for n in needs if n["recommended"]) > 0
    assert all(n["alternatives"] for n in needs if n["recommended"])
    for need in needs:
        if need["recommended"]:  # the recommendation is one of the kept alternatives
            assert need["recommended"]["solution_id"] in {a["solution_id"] for a in need["alternatives"]}
    assert summary["gap_needs"] == sum(g["count"] for g in result["gaps"])
    assert all(g["scenario"] and g["industry"] and g["examples"] for g in result["gaps"])


def test_the_result_is_left_out_on_request_while_polling(demo_client) -> None:
    auth = headers(demo_client, "xinxiang_bureau")
    job_id = start(demo_client, auth, batch=1)
    wait_for(demo_client, job_id, auth)
    light = demo_client.get(f"/api/jobs/{job_id}?include_result=false", headers=auth).json()
    assert light["status"] == JobStatus.DONE and light["result"] is None
    assert light["params"]["batch"] == 1


@pytest.mark.parametrize("username", ["provider_xunzhi", "enterprise_hualun", "leader_changlu", None])
def test_only_bureaus_start_cohort_jobs(demo_client, username: str | None) -> None:
    auth = headers(demo_client, username) if username else {}
    response = demo_client.post("/api/cohorts/match", json={}, headers=auth)
    assert response.status_code == (401 if username is None else 403)
    assert "message" in response.json()


def test_a_bureau_cannot_match_another_region_or_nothing(demo_client) -> None:
    auth = headers(demo_client, "jiujiang_bureau")
    response = demo_client.post("/api/cohorts/match", json={"region": XINXIANG}, headers=auth)
    assert response.status_code == 403 and "辖区" in response.json()["message"]
    response = demo_client.post("/api/cohorts/match", json={"industry": "不存在的行业"}, headers=auth)
    assert response.status_code == 422 and "行业" in response.json()["message"]
    response = demo_client.post("/api/cohorts/match", json={"batch": 99}, headers=auth)
    assert response.status_code == 422 and "企业" in response.json()["message"]
    response = demo_client.post("/api/cohorts/match", json={"batch": 999}, headers=auth)  # past catalog.limits.BATCH
    assert response.status_code == 422 and "batch" in response.json()["message"]


def test_only_the_creator_or_a_bureau_of_the_region_reads_a_job(demo_client) -> None:
    owner = headers(demo_client, "jiujiang_bureau")
    job_id = start(demo_client, owner)
    wait_for(demo_client, job_id, owner)
    assert demo_client.get(f"/api/jobs/{job_id}", headers=headers(demo_client, "admin_bureau")).status_code == 200
    response = demo_client.get(f"/api/jobs/{job_id}", headers=headers(demo_client, "xinxiang_bureau"))
    assert response.status_code == 404  # another region's bureau: the job is not revealed
    for other in ("provider_xunzhi", "enterprise_hualun", "leader_changlu"):  # no bureau: refused at the door
        response = demo_client.get(f"/api/jobs/{job_id}", headers=headers(demo_client, other))
        assert response.status_code == 403 and response.json()["code"] == "wrong_role", other
    assert demo_client.get(f"/api/jobs/{job_id}").status_code == 401


def test_stored_allocation_never_exceeds_provider_capacity(demo_client, demo_database_url) -> None:
    with session_scope(demo_database_url) as session:  # make capacity bind: 2 enterprises each
        session.connection().execute(update(Provider).values(capacity=2, updated_at=utcnow()))
    auth = headers(demo_client, "admin_bureau")
    body = wait_for(demo_client, start(demo_client, auth), auth)
    assert body["status"] == JobStatus.DONE, body["error"]
    load: dict[int, set[int]] = defaultdict(set)
    for enterprise in body["result"]["enterprises"]:
        for need in enterprise["needs"]:
            if need["recommended"]:
                load[need["recommended"]["provider_id"]].add(enterprise["enterprise_id"])
    assert load and max(len(ents) for ents in load.values()) == 2  # the bound was reached …
    assert all(len(ents) <= 2 for ents in load.values())  # … and never exceeded
    reported = {p["provider_id"]: p["enterprises"] for p in body["result"]["providers"]}
    assert reported == {pid: len(ents) for pid, ents in load.items()}


def test_a_failing_job_records_a_chinese_error(demo_client, demo_database_url) -> None:
    def explode(**_: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    jobs.register_kind("test_explode", explode)
    with session_scope(demo_database_url) as session:
        failing = jobs.enqueue(session=session, kind="test_explode", params={"regions": [JIUJIANG]},
                               created_by="bureau:jiujiang_bureau")
        unknown = jobs.enqueue(session=session, kind="no_such_kind", params={"regions": [JIUJIANG]},
                               created_by="bureau:jiujiang_bureau")
    jobs.drain(database_url=demo_database_url, kinds=("test_explode", "no_such_kind"))
    auth = headers(demo_client, "jiujiang_bureau")
    for job, words in ((failing, "任务执行失败"), (unknown, "未知的任务类型")):
        body = demo_client.get(f"/api/jobs/{job.id}", headers=auth).json()
        assert body["status"] == JobStatus.FAILED and body["result"] is None
        assert words in body["error"] and "boom" not in body["error"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"])


def test_a_job_whose_worker_died_is_marked_failed(demo_database_url) -> None:
    with session_scope(demo_database_url) as session:
        job = jobs.enqueue(session=session, kind="cohort_match", params={"regions": [JIUJIANG]},
                           created_by="bureau:jiujiang_bureau")
    assert jobs.claim(database_url=demo_database_url, job_id=int(job.id or 0))
    assert jobs.fail_stale(database_url=demo_database_url) == 0  # still fresh
    with session_scope(demo_database_url) as session:
        stored = session.get(Job, job.id)
        assert stored is not None
        stored.updated_at = utcnow() - jobs.STALE_AFTER * 2
    assert jobs.fail_stale(database_url=demo_database_url) == 1
    with Session(get_engine(demo_database_url)) as session:
        stored = session.get(Job, job.id)
        assert stored is not None and stored.status == JobStatus.FAILED and "重新发起" in (stored.error or "")


def test_the_claim_is_exclusive(demo_database_url) -> None:
    with session_scope(demo_database_url) as session:
        job = jobs.enqueue(session=session, kind="test_count", params={}, created_by="x")
    job_id = int(job.id or 0)
    barrier, won = threading.Barrier(4), []

    def contend() -> None:
        barrier.wait()
        won.append(jobs.claim(database_url=demo_database_url, job_id=job_id))

    threads = [threading.Thread(target=contend) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won) == [False, False, False, True]
    assert jobs.claim_next(database_url=demo_database_url, kinds=("test_count",)) is None


def test_two_workers_never_run_the_same_job(demo_database_url) -> None:
    runs: list[int] = []
    lock = threading.Lock()

    def count(*, params: dict[str, Any], progress: jobs.Progress, **_: Any) -> dict[str, Any]:
        with lock:
            runs.append(int(params["n"]))
        progress(1, 1)
        return {"n": params["n"]}

    jobs.register_kind("test_count", count)
    with session_scope(demo_database_url) as session:
        ids = [jobs.enqueue(session=session, kind="test_count", params={"n": n}, created_by="x").id
               for n in range(30)]
    ran: list[int] = []
    threads = [threading.Thread(target=lambda: ran.append(
        jobs.drain(database_url=demo_database_url, kinds=("test_count",)))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(ran) == 30 and Counter(runs) == Counter(range(30))  # each job exactly once
    with Session(get_engine(demo_database_url)) as session:
        stored = session.exec(select(Job).where(col(Job.id).in_(ids))).all()
        assert {j.status for j in stored} == {JobStatus.DONE}
        assert sorted(j.result["n"] for j in stored if j.result) == list(range(30))


def test_run_worker_picks_up_queued_jobs_until_stopped(demo_database_url) -> None:
    jobs.register_kind("test_count", lambda **kw: {"n": kw["params"]["n"]})
    with session_scope(demo_database_url) as session:
        job = jobs.enqueue(session=session, kind="test_count", params={"n": 7}, created_by="x")
    stop = threading.Event()
    worker = threading.Thread(target=jobs.run_worker,
                              kwargs={"database_url": demo_database_url, "stop_event": stop, "interval": 0.05})
    worker.start()
    try:
        while True:
            with Session(get_engine(demo_database_url)) as session:
                stored = session.get(Job, job.id)
                if stored is not None and stored.status == JobStatus.DONE:
                    break
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join()
    assert stored.result == {"params": {"n": 7}, "n": 7}
