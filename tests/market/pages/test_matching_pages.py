"""Matching pages: the shortlist with its breakdown, the bundle's cost split (the cohort page:
test_cohort_page.py)."""

from __future__ import annotations

from page_helpers import HTML, login
from web_builders import serve_only


def test_enterprise_sees_shortlist_with_why_this_score(page_client, world):
    login(page_client, "ent_sharing")
    html = page_client.get("/enterprise/matches", headers=HTML).text
    assert "设备点检云" in html
    assert "为什么是这个分数" in html and "场景匹配" in html and "行业匹配" in html
    assert "能耗监测平台" not in html  # pending listings are never recommended


def test_bundle_page_shows_total_subsidy_and_net(page_client, world):
    login(page_client, "ent_sharing")
    response = page_client.get("/enterprise/bundle", headers=HTML)
    assert response.status_code == 200
    for label in ("组合总价", "预计补贴", "企业净支出", "补贴依据"):
        assert label in response.text


def test_offerings_from_outside_the_region_come_only_when_asked_and_marked(page_client, world, database_url):
    serve_only(database_url, world.ids["provider_a"], ["新疆维吾尔自治区"])
    login(page_client, "ent_sharing")
    html = page_client.get("/enterprise/matches", headers=HTML).text
    assert "设备点检云" not in html and 'href="/enterprise/matches?outside=1"' in html
    wider = page_client.get("/enterprise/matches?outside=1", headers=HTML).text
    assert "设备点检云" in wider and "外地服务商" in wider and 'href="/enterprise/matches"' in wider
