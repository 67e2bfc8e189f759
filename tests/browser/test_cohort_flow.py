"""The bureau's cohort page in a real browser: the job starts, cohort.js follows its
progress and the page shows the allocation and the gap report when it has finished."""

from __future__ import annotations

import pytest
from flows import log_in
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_bureau_runs_a_cohort_match_and_watches_it_finish(page: Page, live_server: str, shoot) -> None:
    base = live_server
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, base, "jiujiang_bureau")
    page.goto(base + "/bureau/cohort")
    shoot(page, "bureau-cohort-form")
    with page.expect_navigation():
        page.click("#cohort-form button[type=submit]")
    assert "job=" in page.url, page.locator("main").inner_text()[:300]
    # cohort.js polls /api/jobs/{id} and reloads the page once the job has finished
    expect(page.locator("#job-status")).to_have_text("已完成", timeout=120_000)
    expect(page.locator("main")).to_contain_text("服务商分配")
    expect(page.locator("main")).to_contain_text("缺口报告")
    expect(page.locator("a", has_text="导出 Excel")).to_be_visible()
    shoot(page, "bureau-cohort-result")
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert not [e for e in errors if "Content Security Policy" in e or "cohort.js" in e]
