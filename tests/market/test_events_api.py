"""供需对接 events over HTTP: create → register → request → accept → schedule → edit →
publish → outcome, with the rules on who may do what."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from web_builders import JIUJIANG, World, serve_only

from catalog.events.models import EventStatus, Outcome, Preference, Side

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _event(client: TestClient, as_user: Any, **extra: Any) -> int:
    body = {"title": "化工行业供需对接会", "region": JIUJIANG, "sessions": SESSIONS,
            "tables": 2} | extra
    event = _ok(client.post("/api/events", json=body, headers=as_user("jj_bureau")), 201)
    assert [s["label"] for s in event["slots"]] == ["09:00–09:20", "09:20–09:40", "09:40–10:00"]
    return int(event["id"])


def _open(client: TestClient, as_user: Any, event_id: int, status: str) -> None:
    _ok(client.post(f"/api/events/{event_id}/status", json={"status": status},
                    headers=as_user("jj_bureau")))


def _join(client: TestClient, as_user: Any, event_id: int, username: str,
          body: dict[str, Any]) -> int:
    person = _ok(client.post(f"/api/events/{event_id}/participants", json=body,
                             headers=as_user(username)), 201)
    _ok(client.post(f"/api/events/{event_id}/participants/{person['id']}/validate", json={},
                    headers=as_user("jj_bureau")))
    return int(person["id"])


def test_an_event_end_to_end(client: TestClient, world: World, as_user: Any) -> None:
    event_id = _event(client, as_user, day="2026-12-18", place="九江国际会展中心")
    _open(client, as_user, event_id, "报名中")
    seller = _join(client, as_user, event_id, "provider_a",
                   {"provider_id": world.ids["provider_a"], "solution_ids": [world.ids["sol_a"]]})
    firm = _join(client, as_user, event_id, "ent_private",
                 {"enterprise_id": world.ids["member_private"]})
    other = _join(client, as_user, event_id, "ent_sharing",
                  {"enterprise_id": world.ids["member_sharing"]})
    _open(client, as_user, event_id, "约见中")
    offered = _ok(client.get(f"/api/events/{event_id}/proposals", headers=as_user("ent_private")))
    assert [p["participant_id"] for p in offered["data"]] == [seller]
    assert offered["data"][0]["score"] > 0 and "设备点检云" in offered["data"][0]["reason"]
    assert "想上 MES" in offered["data"][0]["reason"]  # its own need, shown to itself
    seen_by_seller = _ok(client.get(f"/api/events/{event_id}/proposals",
                                    headers=as_user("provider_a")))
    assert {p["participant_id"] for p in seen_by_seller["data"]} == {firm, other}
    assert all("想上 MES" not in p["reason"] for p in seen_by_seller["data"])  # not brought
    ask = _ok(client.post(f"/api/events/{event_id}/requests", headers=as_user("ent_private"),
                          json={"to_id": seller, "preference": "必须见", "message": "想看设备点检"}),
              201)
    denied = client.post(f"/api/events/{event_id}/requests/{ask['id']}/respond",
                         json={"accept": True}, headers=as_user("ent_private"))
    assert denied.status_code == 403 and "被约见方" in denied.json()["message"]
    _ok(client.post(f"/api/events/{event_id}/requests/{ask['id']}/respond", json={"accept": True},
                    headers=as_user("provider_a")))
    second = _ok(client.post(f"/api/events/{event_id}/requests", headers=as_user("provider_a"),
                             json={"to_id": other}), 201)
    _ok(client.post(f"/api/events/{event_id}/requests/{second['id']}/respond",
                    json={"accept": True}, headers=as_user("ent_sharing")))

    result = _ok(client.post(f"/api/events/{event_id}/schedule", json={"time_limit_s": 2},
                             headers=as_user("jj_bureau")))
    assert result["meetings"] == 2 and result["without_meetings"] == []
    meetings = _ok(client.get(f"/api/events/{event_id}/meetings", headers=as_user("jj_bureau")))
    slots = {m["request_id"]: (m["slot"], m["table_no"]) for m in meetings["data"]}
    assert slots[ask["id"]][0] != slots[second["id"]][0]  # one provider representative

    clash = {"request_id": ask["id"], "slot": slots[second["id"]][0], "table": 1}
    check = _ok(client.post(f"/api/events/{event_id}/meetings/check", json=clash,
                            headers=as_user("jj_bureau")))
    assert not check["ok"] and any("该时段已满" in c for c in check["conflicts"])
    refused = client.post(f"/api/events/{event_id}/meetings/move", json=clash,
                          headers=as_user("jj_bureau"))
    assert refused.status_code == 409
    grid = _ok(client.get(f"/api/events/{event_id}/meetings/options",
                          params={"request_id": ask["id"]}, headers=as_user("jj_bureau")))
    cells = {(c["slot"], c["table"]): c for c in grid["cells"]}
    assert len(cells) == 3 * 2
    assert cells[slots[ask["id"]]]["action"] == "here"
    busy_slot = slots[second["id"]][0]
    for (slot, _), cell in cells.items():
        if slot == busy_slot and cell["action"] == "move":  # the provider's one representative is busy
            assert not cell["ok"] and any("该时段已满" in c for c in cell["conflicts"])
    swap = cells[slots[second["id"]]]  # trading places keeps the provider once per slot
    assert swap["action"] == "swap" and swap["ok"] and swap["occupant_meeting_id"] is not None
    hidden = client.get(f"/api/events/{event_id}/meetings/options", params={"request_id": ask["id"]},
                        headers=as_user("provider_a"))
    assert hidden.status_code == 403
    free = next(s for s in (1, 2, 3) if s not in (slots[ask["id"]][0], slots[second["id"]][0]))
    moved = _ok(client.post(f"/api/events/{event_id}/meetings/move", headers=as_user("jj_bureau"),
                            json={"request_id": ask["id"], "slot": free, "table": 2}))
    assert (moved["slot"], moved["table_no"]) == (free, 2)

    _ok(client.post(f"/api/events/{event_id}/publish", headers=as_user("jj_bureau")))
    mine = _ok(client.get(f"/api/events/{event_id}/meetings", headers=as_user("ent_private")))
    assert [m["request_id"] for m in mine["data"]] == [ask["id"]]
    meeting_id = mine["data"][0]["id"]
    outcome = _ok(client.post(f"/api/events/{event_id}/meetings/{meeting_id}/outcome",
                              json={"outcome": "已签约", "comment": "当场签约"},
                              headers=as_user("ent_private")))
    assert outcome["engagement_id"] is not None
    engagement = _ok(client.get(f"/api/engagements/{outcome['engagement_id']}",
                                headers=as_user("jj_bureau")))
    assert engagement["status"] == "签约" and engagement["solution_id"] == world.ids["sol_a"]
    seen = _ok(client.get(f"/api/events/{event_id}/meetings", headers=as_user("provider_a")))
    assert all("enterprise_outcome" not in m for m in seen["data"])  # only the bureau sees both
    _outputs(client, as_user, event_id)


def _outputs(client: TestClient, as_user: Any, event_id: int) -> None:
    agenda = _ok(client.get(f"/api/events/{event_id}/agenda", headers=as_user("ent_private")))
    assert [row["counterpart"] for row in agenda["data"]] == ["九江云联设备科技有限公司"]
    ics = client.get(f"/api/events/{event_id}/agenda.ics", headers=as_user("ent_private"))
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.count("BEGIN:VEVENT") == 1 and "DTSTART;TZID=Asia/Shanghai:20261218T" in ics.text
    assert _ok(client.get(f"/api/events/{event_id}/reminders",
                          headers=as_user("jj_bureau")))["count"] == 0
    report = _ok(client.get(f"/api/events/{event_id}/report", headers=as_user("jj_bureau")))
    assert report["totals"] == {"requested": 2, "accepted": 2, "scheduled": 2, "held": 1,
                                "signed": 1}
    book = client.get(f"/api/events/{event_id}/schedule.xlsx", headers=as_user("jj_bureau"))
    sheet = load_workbook(io.BytesIO(book.content))["日程"]
    assert sheet["A2"].value == "1号桌" and sheet.max_row == 3
    totals = list(load_workbook(io.BytesIO(book.content))["成果统计"].iter_rows(values_only=True))[-1]
    assert totals == ("合计", 2, 2, 2, 1, 0, 0, 1)
    forbidden = client.get(f"/api/events/{event_id}/report", headers=as_user("provider_a"))
    assert forbidden.status_code == 403


def test_only_the_regional_bureau_manages_and_only_oneself_registers(
    client: TestClient, world: World, as_user: Any
) -> None:
    denied = client.post("/api/events", json={"title": "跨区活动", "region": JIUJIANG},
                         headers=as_user("xx_bureau"))
    assert denied.status_code == 403
    event_id = _event(client, as_user)
    hidden = client.get(f"/api/events/{event_id}", headers=as_user("provider_a"))
    assert hidden.status_code == 404  # drafts are the bureau's own
    _open(client, as_user, event_id, "报名中")
    other = client.post(f"/api/events/{event_id}/participants", headers=as_user("ent_private"),
                        json={"enterprise_id": world.ids["member_sharing"]})
    assert other.status_code == 403 and "本单位" in other.json()["message"]
    status = client.post(f"/api/events/{event_id}/status", json={"status": "约见中"},
                         headers=as_user("provider_a"))
    assert status.status_code == 403
    early = client.post(f"/api/events/{event_id}/schedule", json={},
                        headers=as_user("jj_bureau"))
    assert early.status_code == 409 and "约见阶段" in early.json()["message"]


def test_no_meeting_is_proposed_with_a_provider_that_cannot_serve_the_enterprise(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    serve_only(database_url, world.ids["provider_a"], ["新疆维吾尔自治区"])
    event_id = _event(client, as_user)
    _open(client, as_user, event_id, "报名中")
    _join(client, as_user, event_id, "provider_a",
          {"provider_id": world.ids["provider_a"], "solution_ids": [world.ids["sol_a"]]})
    _join(client, as_user, event_id, "ent_private", {"enterprise_id": world.ids["member_private"]})
    _open(client, as_user, event_id, "约见中")
    offered = _ok(client.get(f"/api/events/{event_id}/proposals", headers=as_user("ent_private")))
    assert [(p["score"], p["reason"]) for p in offered["data"]] == [(None, "服务商的服务区域不含该企业所在地区")]


def test_the_api_reads_statuses_outcomes_and_preferences_from_the_event_models(
        client: TestClient, world: World, as_user: Any) -> None:
    """One list of each (catalog.events.models): the API's schema offers exactly those, and
    refuses any other value, in Chinese."""
    schemas = _ok(client.get("/api/openapi.json"))["components"]["schemas"]
    for enum in (EventStatus, Outcome, Side, Preference):
        assert schemas[enum.__name__]["enum"] == [member.value for member in enum]
    event_id = _event(client, as_user)
    wrong = client.post(f"/api/events/{event_id}/status", json={"status": "进行中"}, headers=as_user("jj_bureau"))
    assert wrong.status_code == 422, wrong.text
    assert wrong.json()["details"] == [{"field": "status", "message": "不是允许的取值", "type": "enum"}]
    _open(client, as_user, event_id, EventStatus.REGISTRATION)


def test_a_provider_brings_only_its_listed_offerings_to_an_event(client: TestClient, world: World, as_user: Any) -> None:
    """What the registration form offers and what the service accepts are one rule (the public
    listing's): a solution in 待审核 or 暂停 is refused, naming it, and nothing is registered."""
    event_id = _event(client, as_user, day="2026-12-18", place="九江国际会展中心")
    _open(client, as_user, event_id, "报名中")
    for unlisted in (world.ids["sol_a_pending"], world.ids["sol_a_suspended"]):
        refused = client.post(f"/api/events/{event_id}/participants", headers=as_user("provider_a"),
                              json={"provider_id": world.ids["provider_a"], "solution_ids": [world.ids["sol_a"], unlisted]})
        assert refused.status_code == 422 and f"产品 {unlisted} 尚未入库" in refused.json()["message"], refused.text
    people = _ok(client.get(f"/api/events/{event_id}/participants", headers=as_user("jj_bureau")))
    assert people["count"] == 0
