"""An engagement from 意向 to 已验收 in a real browser, on the demo data: the enterprise
records its intention and signs, the provider starts and proposes acceptance, the bureau
confirms it (the subsidy is shown) and sees the dashboard figure move."""

from __future__ import annotations

import re

import pytest
from flows import log_in, log_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CELL = "#target-table td[data-indicator='拟改造企业数量'][data-column='纺织服装 2025年'] a.figure"


def _click(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _figure(page: Page, base: str) -> int:
    page.goto(f"{base}/progress")
    return int(page.locator(CELL).inner_text().strip())


def test_engagement_walk_moves_the_dashboard(page: Page, live_server: str, shoot) -> None:
    base = live_server
    log_in(page, base, "jiujiang_bureau")
    before = _figure(page, base)
    expect(page.locator("#level-two-share")).to_contain_text("90%")
    log_out(page)

    log_in(page, base, "enterprise_hualun")
    page.goto(f"{base}/progress/engagements")
    option = page.locator("#solution_id option", has_text="九江浔阳智造科技有限公司").first
    page.select_option("#solution_id", value=option.get_attribute("value"))
    _click(page, "#form-intent button[type=submit]")
    expect(page.locator("#engagement-status")).to_have_text("意向")
    url = page.url
    page.fill("#amount_wan", "60")
    page.fill("#contract_date", "2025-03-01")
    _click(page, "#form-sign button[type=submit]")
    expect(page.locator("#engagement-status")).to_have_text("签约")
    expect(page.locator("#form-confirm")).to_have_count(0)
    log_out(page)

    log_in(page, base, "provider_xunzhi")
    page.goto(url)
    _click(page, "#form-start button[type=submit]")
    expect(page.locator("#engagement-status")).to_have_text("实施中")
    page.fill("#acceptance_date", "2025-06-30")
    page.fill("#level_before", "二级")
    page.fill("#level_after", "三级")
    _click(page, "#form-propose button[type=submit]")
    expect(page.locator("#subsidy-preview")).to_contain_text("18万元")
    expect(page.locator("#form-confirm")).to_have_count(0)  # only the bureau confirms
    log_out(page)

    log_in(page, base, "jiujiang_bureau")
    page.goto(url)
    _click(page, "#form-confirm button[type=submit]")
    expect(page.locator("#engagement-status")).to_have_text("已验收")
    expect(page.locator("#subsidy")).to_contain_text("预计补贴18万元")
    expect(page.locator("#cost-split")).to_contain_text("政府 18.0 万元")
    shoot(page, "progress-accepted")
    assert _figure(page, base) == before + 1
    shoot(page, "progress-dashboard")
    _click(page, CELL)
    expect(page.locator("#row-records")).to_contain_text("共青城华纶印染有限公司")
    expect(page.locator("svg.chart-trend")).to_be_visible()
    page.goto(f"{base}/lists/policies")
    expect(page.locator("#work-list")).to_contain_text(re.compile("通用试点补贴"))
    page.goto(f"{base}/progress/evaluations")
    expect(page.locator("#provider-ranking")).to_contain_text("九江浔阳智造科技有限公司")
    expect(page.locator("#solution-ranking tbody tr")).to_have_count(1)
    page.goto(f"{base}/lists/finance")
    page.fill("#f-name", "科技贷")
    page.fill("#f-lender", "九江农商银行")
    page.fill("#f-rate", "3.2")
    _click(page, "#form-finance button[type=submit]")
    expect(page.locator("#work-list")).to_contain_text("九江农商银行")
