"""申请对接 as the people involved reach it: an enterprise finds a product by the header
search, reads its cases and ratings, asks for contact with a message; the provider opens
the engagement from its dashboard and answers; the enterprise reads the answer."""

from __future__ import annotations

import pytest
from flows import log_in, log_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_an_enterprise_asks_for_contact_and_the_provider_answers(page: Page, searchable_server: str, shoot) -> None:
    log_in(page, searchable_server, "provider_xunzhi")
    page.click("nav >> text=我的方案")
    product = page.locator("#my-solutions tbody tr td a[href^='/solutions/']").first
    name = product.inner_text()
    log_out(page)

    log_in(page, searchable_server, "enterprise_hualun")
    page.fill("#header-q", name)
    page.click(".header-search button[type=submit]")
    page.locator("#search-results .card a[href^='/solutions/']", has_text=name[:6]).first.click()
    expect(page.locator("#cases h2")).to_have_text("应用案例")
    expect(page.locator("#reviews h2")).to_have_text("用户评价")
    page.fill("#contact-message", "我们有二十台设备，想先试点设备联网")
    page.click("#contact button[type=submit]")
    expect(page.locator("#messages")).to_contain_text("想先试点设备联网")
    expect(page.locator("#engagement-status")).to_have_text("意向")
    shoot(page, "contact-requested")
    log_out(page)

    log_in(page, searchable_server, "provider_xunzhi")
    page.click("nav >> text=工作台")
    page.locator("a[href^='/progress/engagements/']", has_text=name).first.click()
    expect(page.locator("#messages")).to_contain_text("想先试点设备联网")
    page.fill("#message-text", "收到，明天上午电话联系您")
    page.click("#messages button[type=submit]")
    expect(page.locator("#messages")).to_contain_text("明天上午电话联系您")
    log_out(page)

    log_in(page, searchable_server, "enterprise_hualun")
    page.click("nav >> text=对接进展")
    page.locator("a[href^='/progress/engagements/']", has_text=name).first.click()
    expect(page.locator("#messages li").last).to_contain_text("服务商")
    expect(page.locator("#messages")).to_contain_text("明天上午电话联系您")
