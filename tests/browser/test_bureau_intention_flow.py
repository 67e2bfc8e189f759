"""A bureau records an intention for one of its enterprises in a real browser, by links and
forms only: 企业管理 in the header → the enterprise → 为该企业登记对接意向 → a listed offering;
the engagement then shows on the enterprise's page."""

from __future__ import annotations

import pytest
from flows import log_in
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _click(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_bureau_registers_an_intention_from_the_enterprise_page(page: Page, live_server: str, shoot) -> None:
    log_in(page, live_server, "jiujiang_bureau")
    _click(page, "header a[href='/bureau/enterprises']")
    firm = page.locator("table a[href^='/bureau/enterprises/']").first
    name = firm.inner_text().strip()
    with page.expect_navigation():
        firm.click()
    _click(page, "#register-intention")
    expect(page.locator("#enterprise_id option:checked")).to_have_text(name)
    offering = page.locator("#solution_id option", has_text="九江匡庐能效科技有限公司").first
    page.select_option("#solution_id", value=offering.get_attribute("value"))
    shoot(page, "bureau-intention")
    _click(page, "#form-intent button[type=submit]")
    expect(page.locator("#engagement-status")).to_have_text("意向")
    _click(page, "header a[href='/bureau/enterprises']")
    with page.expect_navigation():
        page.locator("table a", has_text=name).first.click()
    expect(page.locator("section.panel", has_text="对接记录")).to_contain_text("九江匡庐能效科技有限公司")
