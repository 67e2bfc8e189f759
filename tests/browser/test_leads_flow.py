"""Leads as a provider and a bureau reach them: the provider opens 商机 from its menu, marks
a lead contacted; the bureau opens 商机跟进 and sees who contacted whom."""

from __future__ import annotations

import pytest
from flows import log_in, log_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_provider_answers_a_lead_and_the_bureau_sees_it(page: Page, live_server: str, shoot) -> None:
    log_in(page, live_server, "provider_xunzhi")
    page.click("nav >> text=商机")
    first = page.locator("#lead-list > li").first
    expect(first).to_be_visible()
    firm = first.locator("h2").inner_text().split(" ")[0]
    assert first.locator("ul li").count() >= 2  # why it fits: the text, the scenario, the region …
    first.locator("input[name=note]").fill("已电话联系，约下周上门")
    first.locator("button[value=已联系]").click()
    expect(page.locator(".flash, [role=status]").first).to_contain_text("已联系")
    expect(page.locator("#lead-list .lead-answer").first).to_contain_text("已联系")
    shoot(page, "provider-leads")
    log_out(page)
    log_in(page, live_server, "jiujiang_bureau")
    page.click("nav >> text=商机跟进")
    row = page.locator("#lead-contacts tbody tr").first
    expect(row).to_contain_text(firm)
    expect(row).to_contain_text("已联系")
    expect(row).to_contain_text("约下周上门")
