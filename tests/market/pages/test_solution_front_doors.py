"""A provider's new listing and its withdrawal follow catalog/solutions/service.py through the
page and the API alike: a listing with no code gets the next free P<provider>-<n>, and a
withdrawal with no reason is recorded as the provider's own."""

from __future__ import annotations

from typing import Any

from page_helpers import login, post_form
from sqlmodel import Session, select

from catalog.db import get_engine
from catalog.solutions.models import Solution

FORM = {"name": "设备点检小程序", "scenarios": ["设备管理运维"], "industries": ["C26"],
        "description": "扫码点检、隐患拍照上报、保养提醒", "deployment": "SaaS", "price_wan": "2.5",
        "billing": "年订阅", "deploy_days": "7"}


def _stored(url: str, **where: Any) -> Solution:
    with Session(get_engine(url)) as session:
        query = select(Solution)
        for name, value in where.items():
            query = query.where(getattr(Solution, name) == value)
        return session.exec(query).one()


def test_a_listing_without_a_code_is_numbered_on_both_doors(page_client, world, as_user, database_url) -> None:
    provider_id = world.ids["provider_a"]
    body = {**FORM, "name": "设备台账小程序", "provider_id": provider_id, "price_wan": 2.5, "deploy_days": 7}
    created = page_client.post("/api/solutions", headers=as_user("provider_a"), json=body)
    assert created.status_code == 201, created.text
    first = created.json()["code"]
    assert first.startswith(f"P{provider_id}-")
    login(page_client, "provider_a")
    assert post_form(page_client, "/provider/solutions/new", FORM).status_code == 303
    second = _stored(database_url, name="设备点检小程序").code
    assert second.startswith(f"P{provider_id}-") and second != first
    taken = page_client.post("/api/solutions", headers=as_user("provider_a"),
                             json={**body, "name": "重复编号产品", "code": first})
    assert taken.status_code == 409 and taken.json()["code"] == "duplicate_code"


def test_a_withdrawal_reads_the_same_from_either_door(page_client, world, as_user, database_url) -> None:
    by_api = page_client.post(f"/api/solutions/{world.ids['sol_a']}/withdraw", headers=as_user("provider_a"),
                              json={})
    assert by_api.status_code == 200 and by_api.json()["status"] == "退出", by_api.text
    login(page_client, "provider_a")
    pending = world.ids["sol_a_pending"]
    assert post_form(page_client, f"/provider/solutions/{pending}/withdraw", {},
                     page="/provider/solutions").status_code == 303
    remarks = {_stored(database_url, id=i).review_remark for i in (world.ids["sol_a"], pending)}
    assert remarks == {"服务商主动撤回"}
    said = page_client.post(f"/api/solutions/{world.ids['sol_a_suspended']}/withdraw",
                            headers=as_user("provider_a"), json={"remark": "产品停止维护"})
    assert said.status_code == 200
    assert _stored(database_url, id=world.ids["sol_a_suspended"]).review_remark == "产品停止维护"
