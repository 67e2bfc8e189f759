"""Public pages: the pool in numbers, browse with filters, detail pages; published only."""

from __future__ import annotations

import re

from page_helpers import HTML
from sqlmodel import Session

from catalog.db import get_engine
from catalog.providers.models import Provider


def _total(html: str) -> int:
    match = re.search(r'id="result-total">(\d+)<', html)
    assert match, "no result count on the page"
    return int(match.group(1))


def test_home_counts_only_published_listings(page_client, world):
    html = page_client.get("/", headers=HTML).text
    assert re.search(r'id="stat-providers">2<', html)  # the pending provider is not counted
    assert re.search(r'id="stat-solutions">2<', html)  # 设备点检云 and 起重机远程运维
    assert re.search(r'id="stat-enterprises">4<', html)
    assert re.search(r'id="stat-scenarios">1<', html)  # both are 设备管理运维
    assert "设备点检云" not in html or "优秀" in html  # only 优秀 ones are featured


def test_solution_browse_shows_published_and_filters(page_client, world, database_url):
    with Session(get_engine(database_url)) as session:  # 九江云联 serves 江西 only; 新乡智造 nationwide
        provider = session.get(Provider, world.ids["provider_a"])
        assert provider is not None
        provider.service_regions = ["江西省"]
        session.add(provider)
        session.commit()
    html = page_client.get("/solutions", headers=HTML).text
    assert _total(html) == 2
    assert "设备点检云" in html and "起重机远程运维" in html
    assert "能耗监测平台" not in html and "仓储条码系统" not in html and "质量追溯小程序" not in html
    by_region = page_client.get("/solutions", params={"region": "河南省新乡市"}, headers=HTML).text
    assert _total(by_region) == 1 and "起重机远程运维" in by_region
    jiangxi = page_client.get("/solutions", params={"region": "江西省九江市"}, headers=HTML).text
    assert _total(jiangxi) == 2  # a nationwide provider serves 九江 too
    by_scenario = page_client.get("/solutions", params={"scenario": "财务管理"}, headers=HTML).text
    assert _total(by_scenario) == 0 and "没有符合条件" in by_scenario
    by_price = page_client.get("/solutions", params={"price_max": "5"}, headers=HTML).text
    assert _total(by_price) == 0
    by_industry = page_client.get("/solutions", params={"industry": "C261"}, headers=HTML).text
    assert _total(by_industry) == 2  # C26 offerings fit a C261 visitor


def test_browse_tolerates_garbage_parameters(page_client, world):
    response = page_client.get("/solutions", params={"page": "abc", "price_min": "很多", "sort": "x"}, headers=HTML)
    assert response.status_code == 200 and _total(response.text) == 2


def test_provider_browse_and_detail(page_client, world):
    html = page_client.get("/providers", headers=HTML).text
    assert _total(html) == 2 and "九江新创数字科技有限公司" not in html
    detail = page_client.get(f"/providers/{world.ids['provider_a']}", headers=HTML)
    assert detail.status_code == 200
    assert "设备点检云" in detail.text and "能耗监测平台" not in detail.text


def test_a_provider_page_names_its_lead_only_when_the_public_may_see_it(page_client, world, database_url):
    url = f"/providers/{world.ids['provider_a']}"
    for lead, named in (("provider_b", True), ("provider_pending", False)):
        with Session(get_engine(database_url)) as session:
            provider = session.get(Provider, world.ids["provider_a"])
            assert provider is not None
            provider.lead_provider_id = world.ids[lead]
            session.add(provider)
            session.commit()
            lead_name = session.get(Provider, world.ids[lead]).name  # type: ignore[union-attr]
        html = page_client.get(url, headers=HTML).text
        assert ("主导服务商" in html and lead_name in html) is named, lead


def test_unpublished_listings_are_404_in_chinese(page_client, world):
    for url in (f"/solutions/{world.ids['sol_a_pending']}", f"/providers/{world.ids['provider_pending']}",
                "/solutions/999999"):
        response = page_client.get(url, headers=HTML)
        assert response.status_code == 404
        assert "未找到" in response.text or "不存在" in response.text
        assert '<html lang="zh-CN">' in response.text


def test_solution_detail_page(page_client, world):
    response = page_client.get(f"/solutions/{world.ids['sol_a']}", headers=HTML)
    assert response.status_code == 200
    assert "设备点检云" in response.text and "九江云联设备科技有限公司" in response.text
    assert "化学原料和化学制品制造业" in response.text  # industry codes are named


def test_pages_carry_no_inline_script_and_no_external_files(page_client, world):
    html = page_client.get("/solutions", headers=HTML).text
    assert "<script>" not in html and "onclick" not in html and "style=" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
