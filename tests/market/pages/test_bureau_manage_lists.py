"""The bureau's management lists go through the list queries of catalog (list_solutions,
list_providers) over what the bureau manages: names match as on every other list (繁体,
full-width), and a listing of another region never shows, published or not."""

from __future__ import annotations

from page_helpers import HTML, login


def test_the_solution_list_filters_like_every_list(page_client, world) -> None:
    login(page_client, "jj_bureau")
    everything = page_client.get("/bureau/solutions", headers=HTML).text
    assert "设备点检云" in everything and "能耗监测平台" in everything and "起重机远程运维" not in everything
    traditional = page_client.get("/bureau/solutions", params={"q": "設備點檢"}, headers=HTML).text
    assert "设备点检云" in traditional and "能耗监测平台" not in traditional
    pending = page_client.get("/bureau/solutions", params={"status": "待审核"}, headers=HTML).text
    assert "能耗监测平台" in pending and "设备点检云" not in pending


def test_the_provider_list_filters_like_every_list(page_client, world) -> None:
    login(page_client, "jj_bureau")
    html = page_client.get("/bureau/providers", params={"q": "九江新創"}, headers=HTML).text
    assert "九江新创数字科技有限公司" in html and "新乡智造软件有限公司" not in html
    assert "新乡智造软件有限公司" not in page_client.get("/bureau/providers", headers=HTML).text
