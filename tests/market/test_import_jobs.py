"""A catalogue import as a background job (finding 7): accepted at once, run by a worker one at a
time, its result says what was stored — or every row error, with nothing stored."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlmodel import Session, func, select
from web_builders import JIUJIANG, XINXIANG

from catalog.db import get_engine
from catalog.providers.models import Provider
from catalog.users.models import User
from catalog.validation import make_uscc
from market import jobs
from market.exchange.import_gate import import_slot
from market.models import Job


def _provider(name: str, region: str) -> dict[str, Any]:
    return {"name": name, "uscc": make_uscc(name), "kind": "专业服务商", "region": region, "industries": "C26",
            "scenarios": "设备管理运维", "description": "设备联网与运维"}


def _finished(client: Any, headers: dict[str, str], database_url: str, job_id: int) -> dict[str, Any]:
    jobs.drain(database_url=database_url)
    deadline = time.monotonic() + 60  # a bound on waiting for a worker thread, not a measurement
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("已完成", "失败"):
            return job
        time.sleep(0.1)
    raise AssertionError("the import job did not finish")


def _providers(database_url: str) -> int:
    with Session(get_engine(database_url)) as session:
        return int(session.exec(select(func.count()).select_from(Provider)).one())


def test_an_import_job_stores_the_file_and_says_so(client, world, as_user, database_url) -> None:
    headers = as_user("jj_bureau")
    body = json.dumps({"providers": [_provider("九江后台导入科技有限公司", f"{JIUJIANG}濂溪区")]}, ensure_ascii=False)
    before = _providers(database_url)
    started = client.post("/api/imports/jobs", headers=headers, files={"file": ("a.json", body.encode())})
    assert started.status_code == 202, started.text
    job = _finished(client, headers, database_url, started.json()["job_id"])
    assert job["status"] == "已完成" and job["result"]["accepted"] is True, job
    assert job["result"]["counts"]["providers"]["created"] == 1
    assert _providers(database_url) == before + 1


def test_a_rejected_import_job_lists_the_row_errors_and_stores_nothing(client, world, as_user, database_url) -> None:
    headers = as_user("jj_bureau")
    rows = [_provider("九江后台导入科技有限公司", f"{JIUJIANG}濂溪区"), _provider("越界科技有限公司", f"{XINXIANG}红旗区")]
    before = _providers(database_url)
    started = client.post("/api/imports/jobs", headers=headers,
                          files={"file": ("a.json", json.dumps({"providers": rows}, ensure_ascii=False).encode())})
    assert started.status_code == 202, started.text
    job = _finished(client, headers, database_url, started.json()["job_id"])
    result = job["result"]
    assert result["accepted"] is False and result["error_count"] == 1
    assert result["errors"][0]["row"] == 2 and "不在本账号管辖的地区内" in result["errors"][0]["message"]
    assert _providers(database_url) == before
    other = client.get(f"/api/jobs/{started.json()['job_id']}", headers=as_user("xx_bureau"))
    assert other.status_code == 404


def test_an_import_job_whose_account_was_deactivated_since_stores_nothing(client, world, as_user, database_url) -> None:
    headers = as_user("jj_bureau")
    body = json.dumps({"providers": [_provider("九江停用后导入科技有限公司", f"{JIUJIANG}濂溪区")]}, ensure_ascii=False)
    before = _providers(database_url)
    with import_slot():  # the job waits for its turn while the account is deactivated
        started = client.post("/api/imports/jobs", headers=headers, files={"file": ("a.json", body.encode())})
        assert started.status_code == 202, started.text
        with Session(get_engine(database_url)) as session:
            bureau = session.exec(select(User).where(User.username == "jj_bureau")).one()
            bureau.active = False
            session.add(bureau)
            session.commit()
    jobs.drain(database_url=database_url)
    assert jobs.wait_drained(database_url)
    with Session(get_engine(database_url)) as session:
        job = session.get(Job, started.json()["job_id"])
    assert job is not None and job.status == "失败" and "accepted" not in (job.result or {})
    assert job.error == "发起导入的账号已停用或不存在，导入未执行，未保存任何数据"
    assert _providers(database_url) == before
