"""A listing that enters 待审核 tells the bureau of its provider's region, whichever door it came
through (catalog/solutions/service.py for a new listing, catalog/revisions/service.py for a
listing sent back and resubmitted): the API and the provider's pages leave the same notice; a
bureau's own new listing leaves none."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from page_helpers import login, post_form
from sqlmodel import Session, select

from catalog.db import get_engine
from catalog.solutions.models import Solution

FORM = {"scenarios": ["设备管理运维"], "industries": ["C26"], "description": "扫码点检、隐患拍照上报",
        "deployment": "SaaS", "price_wan": "2.5", "billing": "年订阅", "deploy_days": "7"}


def _titles(client: TestClient, headers: dict[str, str]) -> list[str]:
    response = client.get("/api/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return [m["title"] for m in response.json()["data"]]


def _json(name: str, provider_id: int) -> dict[str, Any]:
    return {**FORM, "name": name, "provider_id": provider_id, "price_wan": 2.5, "deploy_days": 7}


def _stored(url: str, name: str) -> Solution:
    with Session(get_engine(url)) as session:
        return session.exec(select(Solution).where(Solution.name == name)).one()


def test_a_new_listing_is_announced_from_the_api_and_the_page(page_client, world, as_user) -> None:
    created = page_client.post("/api/solutions", headers=as_user("provider_a"),
                               json=_json("接口提交的产品", world.ids["provider_a"]))
    assert created.status_code == 201, created.text
    login(page_client, "provider_a")
    assert post_form(page_client, "/provider/solutions/new", {**FORM, "name": "页面提交的产品"}).status_code == 303
    assert _titles(page_client, as_user("jj_bureau")) == ["新提交待审核：产品“页面提交的产品”",
                                                          "新提交待审核：产品“接口提交的产品”"]
    assert _titles(page_client, as_user("xx_bureau")) == []


def test_a_bureaus_own_listing_is_not_announced(page_client, world, as_user) -> None:
    created = page_client.post("/api/solutions", headers=as_user("jj_bureau"),
                               json=_json("主管部门录入的产品", world.ids["provider_a"]))
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "待审核"
    assert _titles(page_client, as_user("jj_bureau")) == []


def test_a_returned_listing_resubmitted_is_announced_from_either_door(page_client, world, as_user,
                                                                       database_url) -> None:
    bureau, provider = as_user("jj_bureau"), as_user("provider_a")
    for name in ("接口重提的产品", "页面重提的产品"):
        made = page_client.post("/api/solutions", headers=bureau, json=_json(name, world.ids["provider_a"]))
        assert made.status_code == 201, made.text
        sent_back = page_client.post(f"/api/solutions/{made.json()['id']}/status", headers=bureau,
                                     json={"status": "待审核", "remark": "请补充部署说明"})
        assert sent_back.status_code == 200, sent_back.text
    by_api = _stored(database_url, "接口重提的产品")
    edited = page_client.patch(f"/api/solutions/{by_api.id}", headers=provider,
                               json={"description": "已补充部署说明", "version": by_api.version})
    assert edited.status_code == 200, edited.text
    by_page = _stored(database_url, "页面重提的产品")
    login(page_client, "provider_a")
    posted = post_form(page_client, f"/provider/solutions/{by_page.id}/edit",
                       {**FORM, "name": "页面重提的产品", "description": "已补充部署说明", "version": str(by_page.version)})
    assert posted.status_code == 303
    assert _titles(page_client, bureau) == ["重新提交待审核：产品“页面重提的产品”",
                                            "重新提交待审核：产品“接口重提的产品”"]
    unchanged = page_client.patch(f"/api/solutions/{by_api.id}", headers=provider,
                                  json={"description": "再改一次", "version": edited.json()["version"]})
    assert unchanged.status_code == 200, unchanged.text
    assert len(_titles(page_client, bureau)) == 2  # waiting already: no second notice
