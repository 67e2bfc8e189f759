"""The search as a visitor reaches it: the header's box on any page → results → sort →
a facet; 繁體 and typos understood; the same box for a signed-in enterprise. The visitors'
searches share one site per module (they only read); the signed-in one has its own."""

from __future__ import annotations

import re

import pytest
from flows import log_in
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _search_from_header(page: Page, text: str) -> None:
    page.fill("#header-q", text)
    page.click(".header-search button[type=submit]")


def _total(page: Page) -> int:
    return int(page.locator("#result-total").inner_text())


def test_header_search_sort_and_facet_describe_one_result_set(page: Page, read_only_searchable_server: str, shoot) -> None:
    page.goto(read_only_searchable_server + "/")
    page.click("nav >> text=服务商")  # any page: the header's box is on every one
    _search_from_header(page, "車間設備老是停機")  # 繁體, as a visitor may type it
    expect(page).to_have_url(re.compile(r"/search\?q="))
    total = _total(page)
    assert total > 0
    shoot(page, "search-results")
    page.click("text=价格从低到高")
    expect(page.locator(".result-count strong").first).to_have_text(str(total))
    prices = [float(p) for p in re.findall(r"([\d.]+)\s*万元", page.locator("#search-results").inner_text())]
    assert prices == sorted(prices)
    facet = page.locator(".facet-value").first
    count = int(facet.locator(".count").inner_text())
    facet.click()
    expect(page.locator("#result-total")).to_have_text(str(count))
    shoot(page, "search-facet")


def test_a_typo_is_corrected_and_can_be_searched_as_typed(page: Page, read_only_searchable_server: str) -> None:
    page.goto(read_only_searchable_server + "/")
    _search_from_header(page, "质量追述")
    expect(page.locator(".did-you-mean")).to_contain_text("已按“追溯”搜索")
    page.click("text=仍搜索“追述”")
    expect(page.locator(".did-you-mean")).to_have_count(0)


def test_a_signed_in_enterprise_has_the_same_search_box(page: Page, searchable_server: str) -> None:
    log_in(page, searchable_server, "enterprise_hualun")
    _search_from_header(page, "仓库找料全靠人记")
    assert _total(page) > 0
    expect(page.locator("#search-results .card").first).to_be_visible()


def test_the_provider_list_is_searched_by_what_providers_offer(page: Page, read_only_searchable_server: str) -> None:
    page.goto(read_only_searchable_server + "/")
    page.click("nav >> text=服务商")
    page.fill("#f-q", "仓库找料全靠人记")  # no provider is named so: their products answer it
    page.click("form[aria-label=筛选服务商] button[type=submit]")
    expect(page.locator(".result-count")).to_contain_text("按其产品")
    assert _total(page) > 0
    page.locator("#provider-results .card a").first.click()
    expect(page).to_have_url(re.compile(r"/providers/\d+"))


def test_suggestions_as_you_type_open_a_product(page: Page, read_only_searchable_server: str) -> None:
    page.goto(read_only_searchable_server + "/")
    page.locator("#header-q").press_sequentially("仓储管", delay=50)  # 管理 typed halfway
    first = page.locator(".header-search .suggestions li a").first
    expect(first).to_be_visible()
    name = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/solutions/\d+"))
    expect(page.locator("h1")).to_contain_text(name)
