"""Enterprise pages: profile and privacy, the need list, engagements; its own only."""

from __future__ import annotations

import re

from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session, col, select

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise, Need


def _needs(url: str, enterprise_id: int) -> list[Need]:
    with Session(get_engine(url)) as session:
        statement = select(Need).where(Need.enterprise_id == enterprise_id).order_by(col(Need.position))
        return list(session.exec(statement).all())


def test_add_edit_reorder_and_delete_needs(page_client, world, database_url):
    login(page_client, "ent_sharing")
    ent = world.ids["member_sharing"]
    added = post_form(page_client, "/enterprise/needs", {"text": "仓库找料难出入库全靠手工记账", "priority": "高"})
    assert added.status_code == 303
    needs = _needs(database_url, ent)
    assert [n.text for n in needs][-1] == "仓库找料难出入库全靠手工记账"
    new = needs[-1]
    assert post_form(page_client, f"/enterprise/needs/{new.id}/move", {"direction": "up"},
                     page="/enterprise/needs").status_code == 303
    assert _needs(database_url, ent)[0].id == new.id
    edit_url = f"/enterprise/needs/{new.id}/edit"
    edited = post_form(page_client, edit_url, {"text": "仓库找料难", "scenario": "仓储物流", "priority": "中",
                                               "budget_wan": "5", "version": str(_needs(database_url, ent)[0].version)})
    assert edited.status_code == 303
    first = _needs(database_url, ent)[0]
    assert (first.text, first.scenario, first.budget_wan) == ("仓库找料难", "仓储物流", 5.0)
    html = page_client.get("/enterprise/needs", headers=HTML).text
    assert re.search(r'<span class="rank">1</span>\s*<div>\s*<div class="text">仓库找料难<', html)
    assert post_form(page_client, f"/enterprise/needs/{new.id}/delete", page="/enterprise/needs").status_code == 303
    assert all(n.id != new.id for n in _needs(database_url, ent))


def test_sort_by_priority(page_client, world, database_url):
    login(page_client, "ent_sharing")
    post_form(page_client, "/enterprise/needs", {"text": "财务报销太慢", "priority": "低"})
    post_form(page_client, "/enterprise/needs", {"text": "订单交期总是延误", "priority": "高"})
    assert post_form(page_client, "/enterprise/needs/sort", page="/enterprise/needs").status_code == 303
    priorities = [n.priority for n in _needs(database_url, world.ids["member_sharing"])]
    assert priorities == sorted(priorities, key="高中低".index)


def test_empty_need_text_is_refused_in_chinese(page_client, world):
    login(page_client, "ent_sharing")
    response = post_form(page_client, "/enterprise/needs", {"text": "  ", "priority": "高"})
    assert response.status_code == 422 and "不能为空" in response.text


def test_privacy_choices_are_saved(page_client, world, database_url):
    login(page_client, "ent_private")
    response = post_form(page_client, "/enterprise", {"size": "规上", "srdi_tier": "无", "budget_wan": "80",
                                                      "share_needs_with_chain": "1", "version": "1"})
    assert response.status_code == 303
    assert "已保存" in flashes(page_client, "/enterprise")
    with Session(get_engine(database_url)) as session:
        enterprise = session.get(Enterprise, world.ids["member_private"])
        assert enterprise is not None
        assert enterprise.share_needs_with_chain and not enterprise.findable_by_providers
        assert enterprise.budget_wan == 80


def test_another_enterprises_need_is_not_revealed(page_client, world):
    login(page_client, "ent_private")
    url = f"/enterprise/needs/{world.ids['need_sharing']}/edit"
    assert page_client.get(f"/api/needs/{world.ids['need_sharing']}").status_code == 404  # as the API answers
    assert page_client.get(url, headers=HTML).status_code == 404
    response = post_form(page_client, f"/enterprise/needs/{world.ids['need_sharing']}/delete",
                         page="/enterprise/needs")
    assert response.status_code == 404
    listed = page_client.get("/enterprise/needs", headers=HTML).text.split("<h2>添加需求</h2>")[0]
    assert "想上 MES" in listed and "车间设备老是突然停机" not in listed


def test_engagements_page(page_client, world):
    login(page_client, "ent_sharing")
    html = page_client.get("/enterprise/engagements", headers=HTML).text
    assert "设备点检云" in html and "意向" in html
