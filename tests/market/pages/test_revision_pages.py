"""Revisions through the pages: the provider's form, the bureau's queue and diff, approval and
rejection with a reason the provider reads; the public page keeps the published version."""

from __future__ import annotations

import re

from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session, select

from catalog.db import get_engine
from catalog.revisions.models import Revision
from catalog.solutions.models import Solution

EDIT = {"name": "设备点检云", "code": "JJ-001", "scenarios": ["设备管理运维"], "industries": ["C26"],
        "description": "设备联网、点检、预测性维护，支持手机扫码", "deployment": "SaaS", "price_wan": "9.5",
        "billing": "年订阅", "deploy_days": "30", "version": "1"}


def _propose(page_client, world, **changes) -> None:  # type: ignore[no-untyped-def]
    login(page_client, "provider_a")
    response = post_form(page_client, f"/provider/solutions/{world.ids['sol_a']}/edit", {**EDIT, **changes})
    assert response.status_code == 303
    page_client.cookies.clear()


def _revision_url(page_client) -> str:  # type: ignore[no-untyped-def]
    queue = page_client.get("/bureau/review", headers=HTML).text
    match = re.search(r'href="(/bureau/revisions/\d+)"', queue)
    assert match, "the queue lists no revision"
    return match.group(1)


def test_approve_replaces_the_public_version(page_client, world, database_url):
    _propose(page_client, world)
    public = page_client.get(f"/solutions/{world.ids['sol_a']}", headers=HTML).text
    assert "支持手机扫码" not in public
    login(page_client, "jj_bureau")
    url = _revision_url(page_client)
    html = page_client.get(url, headers=HTML).text
    assert "价格（万元）" in html and ">8<" in html and ">9.5<" in html and "功能描述" in html
    assert "产品编号" not in html  # unchanged fields are not in the diff
    response = post_form(page_client, url, {"decision": "approve", "remark": ""})
    assert response.status_code == 303 and response.headers["location"] == "/bureau/review"
    assert "已通过修改" in flashes(page_client, "/bureau/review")
    assert "没有待审核的修改" in page_client.get("/bureau/review", headers=HTML).text
    page_client.cookies.clear()
    assert "支持手机扫码" in page_client.get(f"/solutions/{world.ids['sol_a']}", headers=HTML).text
    with Session(get_engine(database_url)) as session:
        solution = session.get(Solution, world.ids["sol_a"])
        assert solution is not None and solution.price_wan == 9.5 and solution.status == "已入库"


def test_reject_needs_a_reason_the_provider_reads_and_can_edit_again(page_client, world, database_url):
    _propose(page_client, world)
    login(page_client, "jj_bureau")
    url = _revision_url(page_client)
    assert post_form(page_client, url, {"decision": "reject", "remark": ""}).status_code == 303
    assert "需要填写理由" in flashes(page_client, url)
    with Session(get_engine(database_url)) as session:
        assert session.exec(select(Revision)).one().status == "待审核"
    post_form(page_client, url, {"decision": "reject", "remark": "价格与报价单不一致"})
    assert "已驳回修改" in flashes(page_client, "/bureau/review")
    page_client.cookies.clear()
    assert "支持手机扫码" not in page_client.get(f"/solutions/{world.ids['sol_a']}", headers=HTML).text
    login(page_client, "provider_a")
    assert "价格与报价单不一致" in page_client.get("/provider/solutions", headers=HTML).text
    assert "价格与报价单不一致" in page_client.get("/provider", headers=HTML).text
    form = page_client.get(f"/provider/solutions/{world.ids['sol_a']}/edit", headers=HTML).text
    assert "价格与报价单不一致" in form and 'value="9.5"' in form  # the rejected proposal, to fix
    again = post_form(page_client, f"/provider/solutions/{world.ids['sol_a']}/edit", {**EDIT, "price_wan": "8.8"})
    assert again.status_code == 303
    with Session(get_engine(database_url)) as session:
        rows = session.exec(select(Revision).order_by(Revision.id)).all()  # type: ignore[arg-type]
        assert [r.status for r in rows] == ["已驳回", "待审核"] and rows[1].changes["price_wan"] == 8.8


def test_bad_input_keeps_the_form_and_stores_nothing(page_client, world, database_url):
    login(page_client, "provider_a")
    url = f"/provider/solutions/{world.ids['sol_a']}/edit"
    response = post_form(page_client, url, {**EDIT, "price_wan": "-1"})
    assert response.status_code == 422 and "不小于" in response.text
    with Session(get_engine(database_url)) as session:
        assert session.exec(select(Revision)).all() == []


def test_another_regions_bureau_cannot_see_or_decide(page_client, world, database_url):
    _propose(page_client, world)
    with Session(get_engine(database_url)) as session:
        revision_id = session.exec(select(Revision)).one().id
    login(page_client, "xx_bureau")
    url = f"/bureau/revisions/{revision_id}"
    assert page_client.get(url, headers=HTML).status_code == 404
    assert post_form(page_client, url, {"decision": "approve"}, page="/bureau/review").status_code == 404
    assert post_form(page_client, url, {}, page="/bureau/review").status_code == 404  # no decision: still hidden
    assert "没有待审核的修改" in page_client.get("/bureau/review", headers=HTML).text
    page_client.cookies.clear()
    login(page_client, "jj_bureau")  # the region's bureau is asked to choose (catalog.revisions.service.decide)
    assert post_form(page_client, url, {"decision": "maybe"}).status_code == 303
    assert "请选择审核结论" in flashes(page_client, url)
    with Session(get_engine(database_url)) as session:
        assert session.exec(select(Revision)).one().status == "待审核"


def test_a_listing_sent_back_before_publication_is_edited_in_place_and_resubmitted(page_client, world, database_url):
    login(page_client, "jj_bureau")
    post_form(page_client, f"/bureau/review/solution/{world.ids['sol_a_pending']}",
              {"decision": "return", "remark": "请补充能耗数据接口说明"})
    page_client.cookies.clear()
    login(page_client, "provider_a")
    url = f"/provider/solutions/{world.ids['sol_a_pending']}/edit"
    edit = {**EDIT, "name": "能耗监测平台", "code": "JJ-002", "description": "能耗采集，提供 Modbus/OPC UA 接口说明",
            "version": "2"}  # the return of the listing was a change
    assert post_form(page_client, url, edit).status_code == 303
    assert "等待主管部门审核" in flashes(page_client, "/provider/solutions")
    with Session(get_engine(database_url)) as session:
        solution = session.get(Solution, world.ids["sol_a_pending"])
        assert solution is not None and solution.status == "待审核" and solution.review_remark is None
        assert "OPC UA" in solution.description
        assert session.exec(select(Revision)).all() == []
