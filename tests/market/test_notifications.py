"""站内消息 over real HTTP: each hook leaves a message for the right people, and only they read
and mark it (the pages: tests/market/pages/test_join_and_messages.py)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session
from web_builders import JIUJIANG, World, need

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise

URL = "/api/notifications"
SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def inbox(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    return list(_ok(client.get(URL, headers=headers))["data"])


def titles(client: TestClient, headers: dict[str, str]) -> list[str]:
    """The titles of the user's messages, newest first; each message's link opens for the user."""
    messages = inbox(client, headers)
    for message in messages:
        page = client.get(message["link"], headers={**headers, "Accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 200, (message["link"], page.status_code)
    return [m["title"] for m in messages]


def test_review_outcomes_reach_the_provider(client: TestClient, world: World, as_user: Any) -> None:
    _ok(client.post(f"/api/solutions/{world.ids['sol_a_pending']}/status", json={"status": "已入库"},
                    headers=as_user("jj_bureau")))
    _ok(client.post(f"/api/providers/{world.ids['provider_pending']}/status",
                    json={"status": "退出", "remark": "资料不实"}, headers=as_user("jj_bureau")))
    mine = inbox(client, as_user("provider_a"))
    assert titles(client, as_user("provider_a")) == ["产品“能耗监测平台”已通过审核"]
    assert mine[0]["kind_label"] == "审核结果" and mine[0]["read_at"] is None
    _ok(client.post(f"/api/solutions/{world.ids['sol_a']}/status", json={"status": "暂停"},
                    headers=as_user("jj_bureau")))
    assert len(inbox(client, as_user("provider_a"))) == 1  # suspending a listing is no review outcome
    assert inbox(client, as_user("provider_b")) == []


def test_a_new_listing_waits_for_the_bureau_of_its_region(client: TestClient, world: World, as_user: Any) -> None:
    _ok(client.post("/api/solutions", headers=as_user("provider_a"), json={
        "code": "JJ-900", "name": "设备台账小程序", "provider_id": world.ids["provider_a"], "industries": ["C26"],
        "scenarios": ["设备管理运维"], "description": "扫码建台账", "deployment": "SaaS", "price_wan": 1,
        "billing": "年订阅", "deploy_days": 3}), 201)
    assert titles(client, as_user("jj_bureau")) == ["新提交待审核：产品“设备台账小程序”"]
    assert inbox(client, as_user("xx_bureau")) == []


def test_a_new_application_reaches_the_bureaus_it_names(client: TestClient, world: World, as_user: Any) -> None:
    from test_provider_applications import body

    _ok(client.post("/api/provider-applications", json=body(service_regions=["江西省", "河南省新乡市"])), 201)
    for bureau in ("jj_bureau", "xx_bureau"):
        assert len(titles(client, as_user(bureau))) == 1
        [message] = inbox(client, as_user(bureau))
        assert message["title"] == "新的服务商入驻申请：浔阳智联工业软件有限公司"
        assert message["link"].startswith("/bureau/applications/")


def test_a_contacted_lead_tells_the_enterprise(client: TestClient, world: World, as_user: Any,
                                               database_url: str) -> None:
    with Session(get_engine(database_url)) as session:
        firm = session.get(Enterprise, world.ids["member_private"])
        firm.findable_by_providers = True  # type: ignore[union-attr]
        fitting = need(session, firm, "循环水泵和风机老是坏，想做设备点检和预测性维护")  # a lead of 设备点检云
        session.commit()
        need_id = fitting.id
    url = f"/api/providers/{world.ids['provider_a']}/leads/{need_id}"
    _ok(client.post(url, json={"answer": "不相关"}, headers=as_user("provider_a")))
    assert inbox(client, as_user("ent_private")) == []
    _ok(client.post(url, json={"answer": "已联系", "note": "已电话沟通"}, headers=as_user("provider_a")))
    _ok(client.post(url, json={"answer": "已联系", "note": "又打了一次"}, headers=as_user("provider_a")))
    [message] = inbox(client, as_user("ent_private"))
    assert titles(client, as_user("ent_private")) == ["服务商“九江云联设备科技有限公司”已就您的需求与您联系"]
    assert message["body"] == "服务商留言：已电话沟通"
    assert inbox(client, as_user("ent_sharing")) == []


def _event(client: TestClient, as_user: Any, world: World) -> tuple[int, int, list[int]]:
    event = _ok(client.post("/api/events", json={"title": "化工供需对接会", "region": JIUJIANG, "sessions": SESSIONS,
                                                 "tables": 2}, headers=as_user("jj_bureau")), 201)
    event_id, slots = int(event["id"]), [int(s["id"]) for s in event["slots"]]
    _ok(client.post(f"/api/events/{event_id}/status", json={"status": "报名中"}, headers=as_user("jj_bureau")))
    people = []
    for username, record in (("provider_a", {"provider_id": world.ids["provider_a"]}),
                             ("ent_sharing", {"enterprise_id": world.ids["member_sharing"]})):
        person = _ok(client.post(f"/api/events/{event_id}/participants", json=record, headers=as_user(username)), 201)
        _ok(client.post(f"/api/events/{event_id}/participants/{person['id']}/validate", json={},
                        headers=as_user("jj_bureau")))
        people.append(int(person["id"]))
    return event_id, people[0], slots


def test_meeting_requests_replies_and_schedules_reach_both_sides(client: TestClient, world: World,
                                                                 as_user: Any) -> None:
    event_id, seller, slots = _event(client, as_user, world)
    ask = _ok(client.post(f"/api/events/{event_id}/requests", json={"to_id": seller, "message": "想看点检"},
                          headers=as_user("ent_sharing")), 201)
    assert titles(client, as_user("provider_a")) == ["“九江化工配套有限公司”约见您，请回复"]
    _ok(client.post(f"/api/events/{event_id}/requests/{ask['id']}/respond", json={"accept": True},
                    headers=as_user("provider_a")))
    assert titles(client, as_user("ent_sharing")) == ["“九江云联设备科技有限公司”已接受了您的约见申请"]
    _ok(client.post(f"/api/events/{event_id}/status", json={"status": "约见中"}, headers=as_user("jj_bureau")))
    _ok(client.post(f"/api/events/{event_id}/schedule", json={"time_limit_s": 2}, headers=as_user("jj_bureau")))
    _ok(client.post(f"/api/events/{event_id}/publish", headers=as_user("jj_bureau")))
    for username in ("provider_a", "ent_sharing"):
        assert titles(client, as_user(username))[0] == "“化工供需对接会”的日程已发布"
    [meeting] = _ok(client.get(f"/api/events/{event_id}/meetings", headers=as_user("jj_bureau")))["data"]
    free = next(slot for slot in slots if slot != meeting["slot"])
    _ok(client.post(f"/api/events/{event_id}/meetings/move", headers=as_user("jj_bureau"),
                    json={"request_id": ask["id"], "slot": free, "table": meeting["table_no"]}))
    assert titles(client, as_user("ent_sharing"))[0] == "“化工供需对接会”的日程有调整"


def test_only_the_recipient_reads_and_marks(client: TestClient, world: World, as_user: Any) -> None:
    _ok(client.post(f"/api/solutions/{world.ids['sol_a_pending']}/status", json={"status": "已入库"},
                    headers=as_user("jj_bureau")))
    [message] = inbox(client, as_user("provider_a"))
    assert client.post(f"{URL}/{message['id']}/read", headers=as_user("jj_bureau")).status_code == 404
    assert client.get(URL).status_code == 401
    read = _ok(client.post(f"{URL}/{message['id']}/read", headers=as_user("provider_a")))
    assert read["read_at"] is not None
    assert _ok(client.get(URL, params={"unread": True}, headers=as_user("provider_a")))["data"] == []
    _ok(client.post(f"/api/providers/{world.ids['provider_a']}/status", json={"status": "待审核"},
                    headers=as_user("jj_bureau")))
    _ok(client.post(f"/api/providers/{world.ids['provider_a']}/status", json={"status": "已入库"},
                    headers=as_user("jj_bureau")))
    assert _ok(client.get(URL, headers=as_user("provider_a")))["unread"] == 1
    assert _ok(client.post(f"{URL}/read-all", headers=as_user("provider_a")))["marked"] == 1
    assert _ok(client.get(URL, headers=as_user("provider_a")))["unread"] == 0



def test_an_edit_under_review_and_its_outcome(client: TestClient, world: World, as_user: Any) -> None:
    current = _ok(client.get(f"/api/solutions/{world.ids['sol_a']}", headers=as_user("provider_a")))
    edited = _ok(client.patch(f"/api/solutions/{world.ids['sol_a']}", headers=as_user("provider_a"),
                              json={"version": current["version"], "description": "设备联网、点检、预测性维护、备件管理"}))
    [waiting] = inbox(client, as_user("jj_bureau"))
    assert titles(client, as_user("jj_bureau")) == ["修改待审核：产品“设备点检云”"]
    assert waiting["link"] == f"/bureau/revisions/{edited['pending_revision_id']}"
    _ok(client.post(f"/api/revisions/{edited['pending_revision_id']}/reject", json={"remark": "请补充备件管理的案例"},
                    headers=as_user("jj_bureau")))
    [outcome] = inbox(client, as_user("provider_a"))
    assert outcome["title"] == "产品“设备点检云”的修改被驳回，公开内容保持不变"
    assert outcome["body"] == "主管部门意见：请补充备件管理的案例"


def test_a_contact_request_and_the_reply_reach_the_other_side(client: TestClient, world: World,
                                                              as_user: Any) -> None:
    asked = _ok(client.post(f"/api/solutions/{world.ids['sol_a']}/contact", json={"message": "想了解点检方案"},
                            headers=as_user("ent_private")), 201)
    [request] = inbox(client, as_user("provider_a"))
    assert titles(client, as_user("provider_a")) == ["“九江助剂材料有限公司”申请对接：设备点检云"]
    assert request["link"] == f"/progress/engagements/{asked['engagement_id']}"
    _ok(client.post(f"/api/engagements/{asked['engagement_id']}/messages", json={"text": "明天上门演示"},
                    headers=as_user("provider_a")), 201)
    assert titles(client, as_user("ent_private")) == ["“九江云联设备科技有限公司”就“设备点检云”回复了您的对接申请"]
    assert len(inbox(client, as_user("provider_a"))) == 1
