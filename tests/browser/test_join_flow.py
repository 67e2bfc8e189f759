"""服务商入驻 as a newcomer meets it: from the home page to the application form, logging in
while it waits, the bureau seeing the message count and the application and approving it, the
provider reading the message and adding its first listing; once the listing is approved, an
enterprise asks for contact (申请对接) and the provider finds it among its messages."""

from __future__ import annotations

import pytest
from flows import log_in, log_out
from playwright.sync_api import Page, expect

from catalog.validation import make_uscc

pytestmark = pytest.mark.browser

NAME = "鄱阳湖星图工业数据服务有限公司"
USERNAME, PASSWORD = "xingtu_apply", "xingtu-pass-2026"


def _apply(page: Page, base: str) -> None:
    page.goto(base + "/")
    page.click("#join-link")
    expect(page.locator("h1")).to_contain_text("服务商入驻申请")
    page.fill("#f-name", NAME)
    page.fill("#f-uscc", make_uscc(NAME))
    page.select_option("#f-kind", "专业服务商")
    page.fill("#f-region", "江西省九江市濂溪区")
    page.fill("#f-service_regions", "江西省")
    page.check("input[name=scenarios][value=设备管理运维]")
    page.check("input[name=industries][value=C26]")
    page.fill("#f-description", "工业设备数据采集与点检，帮助中小企业少停机")
    page.fill("#f-certifications", "ISO9001")
    page.fill("#f-contact_name", "李工")
    page.fill("#f-contact_phone", "13900000000")
    page.fill("#f-username", USERNAME)
    page.fill("#f-password", PASSWORD)
    page.fill("#f-password2", PASSWORD)
    with page.expect_navigation():
        page.click("#join-form button[type=submit]")
    if page.locator("#similar-warning").count():  # a demo provider with a close name: confirm
        page.fill("#f-password", PASSWORD)
        page.fill("#f-password2", PASSWORD)
        page.check("#f-confirm_similar_name")
        with page.expect_navigation():
            page.click("#join-form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("入驻申请已提交")


def test_a_newcomer_applies_is_approved_and_adds_a_listing(page: Page, live_server: str, shoot) -> None:
    base = live_server
    _apply(page, base)
    log_in(page, base, USERNAME, PASSWORD)
    expect(page.locator("h1")).to_contain_text(NAME)
    expect(page.locator("main")).to_contain_text("待审核")
    shoot(page, "join-waiting")
    log_out(page)

    log_in(page, base, "jiujiang_bureau")
    expect(page.locator("#unread-count")).to_be_visible()
    row = page.locator("#queue-applications tr", has_text=NAME)
    expect(row).to_be_visible()
    shoot(page, "join-bureau-queue")
    row.locator("text=审核").click()
    expect(page.locator("h1")).to_contain_text(NAME)
    page.check("input[name=decision][value=approve]")
    page.click("#decision-form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text(f"已通过“{NAME}”的入驻申请")
    log_out(page)

    log_in(page, base, USERNAME, PASSWORD)
    expect(page.locator("#unread-count")).to_have_text("1")
    page.click("#header-messages")
    expect(page.locator("#message-list")).to_contain_text(f"机构“{NAME}”已通过审核")
    shoot(page, "join-messages")
    page.locator("#message-list li", has_text="已通过审核").locator("button").click()
    expect(page.locator("#unread-count")).to_have_count(0)
    page.click("text=新增产品或方案")
    page.fill("#f-name", "星图设备点检助手")
    page.check("input[name=scenarios][value=设备管理运维]")
    page.check("input[name=industries][value=C26]")
    page.fill("#f-description", "扫码点检、异常拍照上报、保养到期提醒")
    page.fill("#f-price_wan", "1.2")
    page.select_option("#f-billing", "年订阅")
    page.select_option("#f-deployment", "SaaS")
    page.fill("#f-deploy_days", "5")
    page.click("button[type=submit]:has-text('提交审核')")
    expect(page.locator(".flash")).to_contain_text("等待主管部门审核")
    expect(page.locator("#my-solutions tr", has_text="星图设备点检助手")).to_contain_text("待审核")
    log_out(page)

    log_in(page, base, "jiujiang_bureau")
    page.locator("#queue-solutions tr", has_text="星图设备点检助手").locator("text=审核").click()
    page.check("input[name=decision][value=approve]")
    page.click("text=提交审核结论")
    expect(page.locator(".flash")).to_contain_text("已通过：星图设备点检助手")
    log_out(page)

    log_in(page, base, "enterprise_hualun")
    page.goto(base + "/solutions?sort=new")
    page.locator("a[href^='/solutions/']", has_text="星图设备点检助手").first.click()
    page.fill("#contact-message", "想先在两条产线试点扫码点检")
    page.click("#contact button[type=submit]")
    expect(page.locator("#engagement-status")).to_have_text("意向")
    log_out(page)

    log_in(page, base, USERNAME, PASSWORD)
    expect(page.locator("#unread-count")).to_have_text("2")  # the listing approved, the contact request
    page.click("#header-messages")
    asked = page.locator("#message-list li", has_text="申请对接：星图设备点检助手")
    expect(asked).to_be_visible()
    expect(page.locator("#message-list")).to_contain_text("产品“星图设备点检助手”已通过审核")
    shoot(page, "join-contact-message")
    asked.locator("button").click()
    expect(page.locator("main")).to_contain_text("想先在两条产线试点扫码点检")
