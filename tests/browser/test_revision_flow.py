"""Revisions in a real browser, on the demo data: a provider edits a published listing, the
public page keeps the published version until the bureau, seeing the field-by-field diff,
approves it (then the public page shows the new one) — or rejects it with a reason the
provider reads."""

from __future__ import annotations

import pytest
from flows import log_in, log_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _edit_published_listing(page: Page, base: str, nth: int, description: str, price: str) -> tuple[str, str]:
    """As provider_xunzhi, edit its `nth` published listing; returns (public URL, old description)."""
    log_in(page, base, "provider_xunzhi")
    page.goto(f"{base}/provider/solutions")
    row = page.locator("#my-solutions tbody tr", has=page.locator("a[href^='/solutions/']")).nth(nth)
    public_url = base + str(row.locator("a[href^='/solutions/']").get_attribute("href"))
    row.get_by_role("link", name="修改", exact=True).click()
    old = page.locator("#f-description").input_value()
    page.fill("#f-description", description)
    page.fill("#f-price_wan", price)
    page.click("button[type=submit]:has-text('提交审核')")
    expect(page.locator(".flash").first).to_contain_text("审核通过前公开页面仍展示原内容")
    log_out(page)
    return public_url, old


def _open_revision(page: Page, base: str) -> None:
    log_in(page, base, "jiujiang_bureau")
    page.goto(f"{base}/bureau/review")
    page.locator("#queue-revisions tbody tr").first.locator("text=审核").click()
    expect(page.locator("#diff")).to_be_visible()


def test_an_approved_revision_replaces_the_published_version(page: Page, live_server: str, shoot) -> None:
    base = live_server
    new_text = "云端设备点检与保养提醒并新增能耗看板和手机扫码报修"
    public_url, old = _edit_published_listing(page, base, 0, new_text, "3.6")
    page.goto(public_url)
    expect(page.locator("main")).not_to_contain_text(new_text)
    expect(page.locator("main")).to_contain_text(old[:12])

    _open_revision(page, base)
    diff = page.locator("#diff")
    expect(diff.locator("tr", has_text="功能描述")).to_contain_text(new_text)
    expect(diff.locator("tr", has_text="价格（万元）")).to_contain_text("3.6")
    shoot(page, "bureau-revision-diff")
    page.check("input[name=decision][value=approve]")
    page.click("text=提交审核结论")
    expect(page.locator(".flash").first).to_contain_text("已通过修改")
    log_out(page)

    page.goto(public_url)
    expect(page.locator("main")).to_contain_text(new_text)
    shoot(page, "public-solution-after-revision")


def test_a_rejected_revision_leaves_the_published_version_and_tells_the_provider(
        page: Page, live_server: str) -> None:
    base = live_server
    new_text = "免费试用三年且全部功能不限量"
    public_url, _ = _edit_published_listing(page, base, 1, new_text, "0.5")
    _open_revision(page, base)
    page.check("input[name=decision][value=reject]")
    page.fill("#remark", "价格和承诺与合同不符请核实后再提交")
    page.click("text=提交审核结论")
    expect(page.locator(".flash").first).to_contain_text("已驳回修改")
    log_out(page)

    page.goto(public_url)
    expect(page.locator("main")).not_to_contain_text(new_text)
    log_in(page, base, "provider_xunzhi")
    page.goto(f"{base}/provider/solutions")
    row = page.locator("#my-solutions tbody tr", has_text="修改被驳回")
    expect(row).to_contain_text("价格和承诺与合同不符")
    row.get_by_role("link", name="修改", exact=True).click()
    expect(page.locator(".revision-rejected")).to_contain_text("价格和承诺与合同不符")
    expect(page.locator("#f-description")).to_have_value(new_text)  # the rejected proposal, to fix
