"""A 供需对接 event end to end in a real browser, on the demo data:
create → register → validate → request (withdrawn once and sent again) → accept → schedule → publish → outcome."""

from __future__ import annotations

import pytest
from flows import log_in, log_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TITLE = "九江纺织印染行业供需对接会"


def _as(page: Page, base: str, username: str, url: str) -> None:
    log_in(page, base, username)
    page.goto(base + url)


def _click(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_bureau_runs_an_event_end_to_end(page: Page, live_server: str, shoot) -> None:
    base = live_server
    _as(page, base, "jiujiang_bureau", "/events")
    page.fill("#ev-title", TITLE)
    page.fill("#ev-day", "2026-12-18")
    page.fill("#ev-place", "共青城市会展中心")
    page.fill("#ev-tables", "4")
    page.fill("#ev-am", "3")
    page.fill("#ev-pm", "0")
    _click(page, "#new-event button[type=submit]")
    expect(page.locator(".flash")).to_contain_text(f"已创建活动：{TITLE}")
    event_url = page.url.removeprefix(base)
    _click(page, "#status-actions button:has-text('开放报名')")
    expect(page.locator("#event-status")).to_have_text("报名中")
    log_out(page)

    for username, brings in (("provider_xunzhi", "带来的产品"), ("enterprise_hualun", "带来的需求")):
        _as(page, base, username, event_url)
        expect(page.locator("#register-form")).to_contain_text(brings)
        expect(page.locator("#register-form input[name=sessions]")).to_have_count(1)
        _click(page, "#register-form button[type=submit]")
        expect(page.locator(".flash")).to_contain_text("已报名")
        log_out(page)

    _as(page, base, "jiujiang_bureau", event_url)
    for _ in range(2):
        _click(page, "#participants button:has-text('确认')")
    expect(page.locator("#participants button")).to_have_count(0)
    _click(page, "#status-actions button:has-text('进入约见阶段')")
    expect(page.locator("#event-status")).to_have_text("约见中")
    log_out(page)

    _as(page, base, "enterprise_hualun", event_url)
    row = page.locator("#proposals tr", has_text="九江浔阳智造科技有限公司")
    expect(row).to_be_visible()
    shoot(page, "event-proposals")
    row.locator("select[name=preference]").select_option("必须见")
    row.locator("input[name=message]").fill("想了解印染车间的设备联网")
    with page.expect_navigation():
        row.locator("button:has-text('发起约见')").click()
    expect(page.locator(".flash")).to_contain_text("约见申请已发出")
    _click(page, "#my-requests button:has-text('撤回')")  # sent by mistake: taken back, then sent again
    expect(page.locator(".flash")).to_contain_text("已撤回约见申请")
    expect(page.locator("#my-requests")).to_contain_text("已撤回")
    row = page.locator("#proposals tr", has_text="九江浔阳智造科技有限公司")
    row.locator("select[name=preference]").select_option("必须见")
    with page.expect_navigation():
        row.locator("button:has-text('发起约见')").click()
    expect(page.locator(".flash")).to_contain_text("约见申请已发出")
    log_out(page)

    _as(page, base, "provider_xunzhi", event_url)
    _click(page, "#my-requests button:has-text('接受')")
    expect(page.locator("#my-requests")).to_contain_text("已接受")
    log_out(page)

    _as(page, base, "jiujiang_bureau", event_url)
    _click(page, "#run-schedule")
    expect(page.locator(".flash")).to_contain_text("排程完成：共 1 场约见")
    expect(page.locator("#grid")).to_contain_text("共青城华纶印染有限公司 × 九江浔阳智造科技有限公司")
    shoot(page, "event-grid")
    _edit_the_grid(page, shoot)
    _click(page, "#publish")
    expect(page.locator("#event-status")).to_have_text("已排程")
    log_out(page)

    _as(page, base, "enterprise_hualun", event_url)
    agenda = page.locator("#agenda tr", has_text="九江浔阳智造科技有限公司")
    expect(agenda).to_contain_text("号桌")
    agenda.locator("select[name=outcome]").select_option("有意向")
    agenda.locator("input[name=comment]").fill("约定下周上门调研")
    with page.expect_navigation():
        agenda.locator("button:has-text('登记')").click()
    expect(page.locator(".flash")).to_contain_text("对接成果已登记")
    shoot(page, "event-agenda")
    log_out(page)

    _as(page, base, "jiujiang_bureau", event_url)
    expect(page.locator("#report")).to_contain_text("有意向 1")


def _edit_the_grid(page: Page, shoot) -> None:  # type: ignore[no-untyped-def]
    """Move the meeting on the grid, take it off, and put it back: the cells are marked
    (from the server's check) before anything is changed."""
    meeting = page.locator("#grid button.meeting")
    meeting.click()
    expect(page.locator("#grid-hint")).to_contain_text("可移入")
    expect(page.locator("#grid td.cell-here")).to_have_count(1)
    shoot(page, "event-grid-editing")
    target = page.locator('#grid td.cell-ok[data-table="4"]').last
    slot = target.get_attribute("data-slot")
    with page.expect_navigation():
        target.click()
    moved = page.locator(f'#grid td[data-table="4"][data-slot="{slot}"] button.meeting')
    expect(moved).to_contain_text("共青城华纶印染有限公司 × 九江浔阳智造科技有限公司")

    page.once("dialog", lambda dialog: dialog.accept())
    moved.click()
    expect(page.locator("#grid td.cell-here")).to_have_count(1)
    with page.expect_navigation():
        page.click("#grid-unschedule")
    expect(page.locator("#grid button.meeting")).to_have_count(0)
    page.locator("#unplaced button.meeting").click()
    expect(page.locator("#grid td.cell-ok")).to_have_count(12)  # 4 tables × 3 slots, all free
    with page.expect_navigation():
        page.locator('#grid td.cell-ok[data-table="1"]').first.click()
    expect(page.locator('#grid td[data-table="1"] button.meeting')).to_have_count(1)
