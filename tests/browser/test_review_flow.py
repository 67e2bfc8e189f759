"""A listing sent back for changes, in a real browser: the bureau reaches it from its review
queue and sends it back with a remark, the queue files it under 已退回, and the provider
finds the remark on its dashboard (catalog.providers.queue reads both)."""

from __future__ import annotations

import pytest
from flows import log_in, log_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REMARK = "请补充实施周期和报价依据"


def test_a_listing_sent_back_shows_on_the_queue_and_the_providers_dashboard(page: Page, live_server: str,
                                                                          shoot) -> None:
    base = live_server
    log_in(page, base, "xinxiang_bureau")
    page.click("header a[href='/bureau/review']")
    first = page.locator("a[href^='/bureau/review/solution/']").first
    name = first.locator("xpath=ancestor::tr").locator("td").first.inner_text()
    with page.expect_navigation():
        first.click()
    page.check("input[name=decision][value=return]")
    page.fill("[name=remark]", REMARK)
    with page.expect_navigation():
        page.locator("form:has([name=decision]) button[type=submit]").first.click()
    expect(page.locator(".flash")).to_contain_text(f"已退回修改：{name}")
    expect(page.locator("main")).to_contain_text("已退回")
    shoot(page, "review-queue-sent-back")
    log_out(page)
    log_in(page, base, "provider_pending")
    page.click("header a[href='/provider']")
    expect(page.locator("main")).to_contain_text(REMARK)
    expect(page.locator("main")).to_contain_text(name)
    shoot(page, "provider-dashboard-to-fix")
