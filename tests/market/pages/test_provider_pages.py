"""Provider pages: dashboard, profile, solutions; a published listing's edit waits as a revision; own records only."""

from __future__ import annotations

from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session, select

from catalog.db import get_engine
from catalog.providers.models import Provider
from catalog.solutions.models import Solution

NEW_SOLUTION = {
    "name": "设备点检小程序", "scenarios": ["设备管理运维", "质量管控"], "industries": ["C26"],
    "description": "扫码点检、隐患拍照上报、保养提醒", "deployment": "SaaS", "price_wan": "2.5",
    "billing": "年订阅", "deploy_days": "7", "size_fit": "规下", "keywords": "点检；保养",
}


def _solution(url: str, name: str) -> Solution:
    with Session(get_engine(url)) as session:
        return session.exec(select(Solution).where(Solution.name == name)).one()


def test_new_solution_waits_for_review(page_client, world, database_url):
    login(page_client, "provider_a")
    response = post_form(page_client, "/provider/solutions/new", NEW_SOLUTION)
    assert response.status_code == 303 and response.headers["location"] == "/provider/solutions"
    assert "等待主管部门审核" in flashes(page_client, "/provider/solutions")
    stored = _solution(database_url, "设备点检小程序")
    assert stored.status == "待审核" and stored.scenarios == ["设备管理运维", "质量管控"]
    assert stored.keywords == ["点检", "保养"] and stored.code.startswith("P")
    assert "设备点检小程序" in page_client.get("/provider/solutions", headers=HTML).text
    page_client.cookies.clear()
    assert "设备点检小程序" not in page_client.get("/solutions", headers=HTML).text


def test_invalid_solution_form_shows_chinese_errors_and_keeps_input(page_client, world, database_url):
    login(page_client, "provider_a")
    bad = {**NEW_SOLUTION, "price_wan": "-3", "scenarios": [], "deploy_days": "0"}
    response = post_form(page_client, "/provider/solutions/new", bad)
    assert response.status_code == 422
    assert "至少填写一项" in response.text and "不小于" in response.text
    assert 'value="设备点检小程序"' in response.text
    with Session(get_engine(database_url)) as session:
        assert session.exec(select(Solution).where(Solution.name == "设备点检小程序")).first() is None


def test_editing_a_published_solution_keeps_it_public_until_reviewed(page_client, world, database_url):
    login(page_client, "provider_a")
    url = f"/provider/solutions/{world.ids['sol_a']}/edit"
    form = page_client.get(url, headers=HTML).text
    assert 'value="设备点检云"' in form
    changed = {**NEW_SOLUTION, "name": "设备点检云新版", "code": "JJ-001", "version": "1"}
    response = post_form(page_client, url, changed)
    assert response.status_code == 303
    assert "审核通过前公开页面仍展示原内容" in flashes(page_client, "/provider/solutions")
    stored = _solution(database_url, "设备点检云")
    assert stored.status == "已入库"
    assert 'value="设备点检云新版"' in page_client.get(url, headers=HTML).text  # the form shows the proposal
    page_client.cookies.clear()
    public = page_client.get(f"/solutions/{stored.id}", headers=HTML)
    assert public.status_code == 200 and "设备点检云" in public.text and "设备点检云新版" not in public.text


def test_a_stale_form_is_refused(page_client, world):
    login(page_client, "provider_a")
    url = f"/provider/solutions/{world.ids['sol_a']}/edit"
    response = post_form(page_client, url, {**NEW_SOLUTION, "code": "JJ-001", "version": "0"})
    assert response.status_code == 303
    assert "已被他人修改" in flashes(page_client, url)


def test_withdraw_retires_the_listing(page_client, world, database_url):
    login(page_client, "provider_a")
    response = post_form(page_client, f"/provider/solutions/{world.ids['sol_a']}/withdraw",
                         page="/provider/solutions")
    assert response.status_code == 303
    assert _solution(database_url, "设备点检云").status == "退出"
    assert "已撤回" in flashes(page_client, "/provider/solutions")


def test_another_providers_solution_is_forbidden(page_client, world):
    login(page_client, "provider_b")
    url = f"/provider/solutions/{world.ids['sol_a']}/edit"
    response = page_client.get(url, headers=HTML)
    assert response.status_code == 403 and "无权" in response.text
    posted = post_form(page_client, url, NEW_SOLUTION, page="/provider/solutions")
    assert posted.status_code == 403
    withdrawn = post_form(page_client, f"/provider/solutions/{world.ids['sol_a']}/withdraw",
                          page="/provider/solutions")
    assert withdrawn.status_code == 403


def test_profile_edit_waits_for_review_but_contact_details_apply_at_once(page_client, world, database_url):
    login(page_client, "provider_a")
    html = page_client.get("/provider/profile", headers=HTML).text
    assert "九江云联设备科技有限公司" in html
    data = {"name": "九江云联设备科技有限公司", "kind": "综合服务商", "region": "江西省九江市濂溪区",
            "service_regions": "江西省", "scenarios": ["设备管理运维"], "industries": ["C26"],
            "description": "设备联网与运维，驻场服务", "capacity": "30", "contact_phone": "0792-1234567",
            "version": "1"}
    assert post_form(page_client, "/provider/profile", data).status_code == 303
    with Session(get_engine(database_url)) as session:
        provider = session.get(Provider, world.ids["provider_a"])
        assert provider is not None
        assert provider.status == "已入库" and provider.kind == "专业服务商" and provider.capacity == 20
        assert provider.contact_phone == "0792-1234567"
    assert "正在等待主管部门审核" in page_client.get("/provider/profile", headers=HTML).text


def test_dashboard_shows_remarks_to_act_on(page_client, world):
    login(page_client, "jj_bureau")
    post_form(page_client, f"/bureau/review/solution/{world.ids['sol_a_pending']}",
              {"decision": "return", "remark": "请补充能耗数据接口说明"})
    page_client.cookies.clear()
    login(page_client, "provider_a")
    html = page_client.get("/provider", headers=HTML).text
    assert "被退回" in html and "请补充能耗数据接口说明" in html
