"""The bureau's cohort page: start a cohort match as a background job, then see its stored
allocation and gap report and export them (the polling script is covered in tests/browser)."""

from __future__ import annotations

import re
import time
from io import BytesIO

from openpyxl import load_workbook
from page_helpers import HTML, flashes, login, post_form

from catalog.db import session_scope
from market import jobs


def _finished_page(client, url: str) -> str:
    """The page once the job has finished (a hung job is failed by pytest-timeout)."""
    while True:
        html = client.get(url, headers=HTML).text
        if 'data-status="已完成"' in html or 'data-status="失败"' in html:
            return html
        time.sleep(0.1)


def test_bureau_starts_a_cohort_job_and_sees_allocation_gaps_and_export(page_client, world):
    login(page_client, "jj_bureau")
    page = page_client.get("/bureau/cohort", headers=HTML).text
    assert "开始匹配" in page and 'src="/static/cohort.js"' in page and "<script>" not in page
    form = page[page.index('id="cohort-form"'):]
    assert re.search(r'^[^<]*<input type="hidden" name="csrf_token" value="[^"]+">', form[form.index(">") + 1:].lstrip())
    response = post_form(page_client, "/bureau/cohort", {"region": "", "batch": "", "industry": ""})
    assert response.status_code == 303
    url = response.headers["location"]
    job_id = int(re.search(r"job=(\d+)", url).group(1))  # type: ignore[union-attr]
    html = _finished_page(page_client, url)
    assert 'data-status="已完成"' in html, html
    assert "服务商分配" in html and "分配建议" in html and "缺口报告" in html
    assert "设备点检云" in html  # the test pilot's matching product is recommended
    assert "新乡起重部件" not in html  # another city's enterprise
    assert f'href="/bureau/cohort?job={job_id}"' in html  # listed under 我发起的批量匹配
    export = page_client.get(f"/bureau/cohort.xlsx?job={job_id}")
    assert export.status_code == 200
    book = load_workbook(BytesIO(export.content))
    assert book.sheetnames == ["分配建议", "服务商负载", "缺口报告"]
    assert book["分配建议"].max_row >= 2


def test_a_bad_form_says_why_in_chinese(page_client, world):
    login(page_client, "jj_bureau")
    response = post_form(page_client, "/bureau/cohort", {"region": "河南省新乡市"})
    assert response.status_code == 303 and response.headers["location"] == "/bureau/cohort"
    assert "辖区" in flashes(page_client, "/bureau/cohort")
    response = post_form(page_client, "/bureau/cohort", {"industry": "火星采矿"})
    assert "未识别的行业" in flashes(page_client, "/bureau/cohort")


def test_a_bad_batch_is_refused_by_the_page_as_by_the_api_not_read_as_every_batch(page_client, world, as_user):
    login(page_client, "jj_bureau")
    for batch in ("abc", "0", "101"):
        response = post_form(page_client, "/bureau/cohort", {"batch": batch})
        assert response.headers["location"] == "/bureau/cohort"
        assert "试点批次：" in flashes(page_client, "/bureau/cohort")
        api = page_client.post("/api/cohorts/match", headers=as_user("jj_bureau"), json={"batch": batch})
        assert api.status_code == 422, api.text
    too_long = post_form(page_client, "/bureau/cohort", {"region": "江" * 101})
    assert too_long.headers["location"] == "/bureau/cohort" and "地区：" in flashes(page_client, "/bureau/cohort")


def test_another_regions_bureau_cannot_see_the_job(page_client, world):
    login(page_client, "jj_bureau")
    url = post_form(page_client, "/bureau/cohort", {}).headers["location"]
    _finished_page(page_client, url)
    job_id = re.search(r"job=(\d+)", url).group(1)  # type: ignore[union-attr]
    page_client.cookies.clear()
    login(page_client, "xx_bureau")
    assert page_client.get(url, headers=HTML).status_code == 404
    assert page_client.get(f"/bureau/cohort.xlsx?job={job_id}").status_code == 404


def test_cohort_page_is_for_bureaus_only(page_client, world):
    login(page_client, "ent_sharing")
    assert page_client.get("/bureau/cohort", headers=HTML).status_code == 403


def test_a_queued_job_shows_its_progress_for_the_script_to_follow(page_client, world, database_url):
    with session_scope(database_url) as session:  # queued, no worker kicked: it stays queued
        job = jobs.enqueue(session=session, kind="cohort_match", params={"regions": ["江西省九江市"]},
                           created_by="bureau:someone_else")
    login(page_client, "jj_bureau")
    html = page_client.get(f"/bureau/cohort?job={job.id}", headers=HTML).text
    assert f'data-job-url="/api/jobs/{job.id}?include_result=false"' in html
    assert 'data-status="排队中"' in html and '<progress id="job-progress"' in html
    assert "服务商分配" not in html and "导出 Excel" not in html
    assert page_client.get(f"/bureau/cohort.xlsx?job={job.id}").status_code == 404
