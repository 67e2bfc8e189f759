"""The event's two front doors, the API and the event page, ask the event service the same
questions: a request's score is the matcher's, whatever the sender sends; a too long reason is
refused alike; who a request or an agenda is for is the service's (the managing bureau for
anyone, a party only for itself: another's id is a 403, not quietly its own); which requests
and participants a user sees is one query; and a refusal to manage an event says the same
through every route. So do the rules the doors once kept each for itself (the region an event
is held in, the schedule's time limit, the participant list's file, a request's default)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session, select
from typer.testing import CliRunner
from web_builders import JIUJIANG, XINXIANG, World, user

from catalog.db import get_engine
from catalog.events import meetings as event_meetings
from catalog.events.models import Event, MeetingRequest, Preference
from catalog.users.models import Role
from market.cli import app as cli_app
from market.settings import get_settings

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]
NOT_MANAGER = "只有活动所在地区的主管部门可以管理该活动"
LONG_REASON = "理" * 600


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _event(client: TestClient, as_user: Any, world: World) -> dict[str, int]:
    """A 九江 event in 约见中: provider_a (with 设备点检云), ent_private and ent_sharing, validated."""
    bureau = as_user("jj_bureau")
    body = {"title": "设备运维供需对接会", "region": JIUJIANG, "sessions": SESSIONS, "tables": 2}
    event_id = _ok(client.post("/api/events", json=body, headers=bureau), 201)["id"]
    _ok(client.post(f"/api/events/{event_id}/status", json={"status": "报名中"}, headers=bureau))
    people = {"event": event_id}
    joining = {"firm": ("ent_private", {"enterprise_id": world.ids["member_private"]}),
               "other": ("ent_sharing", {"enterprise_id": world.ids["member_sharing"]}),
               "seller": ("provider_a", {"provider_id": world.ids["provider_a"],
                                         "solution_ids": [world.ids["sol_a"]]})}
    for key, (username, data) in joining.items():
        person = _ok(client.post(f"/api/events/{event_id}/participants", json=data,
                                 headers=as_user(username)), 201)
        _ok(client.post(f"/api/events/{event_id}/participants/{person['id']}/validate", json={},
                        headers=bureau))
        people[key] = person["id"]
    _ok(client.post(f"/api/events/{event_id}/status", json={"status": "约见中"}, headers=bureau))
    return people


def _requests(database_url: str, event_id: int) -> list[MeetingRequest]:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        return list(session.exec(select(MeetingRequest).where(MeetingRequest.event_id == event_id)))


def _proposed_score(client: TestClient, as_user: Any, event_id: int, username: str, other: int) -> float:
    offered = _ok(client.get(f"/api/events/{event_id}/proposals", headers=as_user(username)))
    score = next(p["score"] for p in offered["data"] if p["participant_id"] == other)
    assert score is not None and 0 < score < 1
    return float(score)


def _scheduler_scores(database_url: str, event_id: int) -> dict[int, float | None]:
    with Session(get_engine(database_url)) as session:
        event = session.get(Event, event_id)
        assert event is not None
        return {r.id: r.score for r in event_meetings.schedule_inputs(session=session, event=event).requests}


def test_a_requests_score_is_the_matchers_not_the_senders(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    people = _event(client, as_user, world)
    event_id = people["event"]
    by_api = _ok(client.post(f"/api/events/{event_id}/requests", headers=as_user("ent_private"),
                             json={"to_id": people["seller"], "score": 1}), 201)
    assert by_api["score"] == _proposed_score(client, as_user, event_id, "ent_private", people["seller"])

    login(client, "ent_sharing")  # the page's form, its score field forged to 1
    url = f"/events/{event_id}"
    post_form(client, f"{url}/requests", {"to_id": str(people["seller"]), "score": "1"}, page=url)
    assert "约见申请已发出" in flashes(client, url)
    client.cookies.clear()
    by_page = next(r for r in _requests(database_url, event_id) if r.from_id == people["other"])
    assert by_page.score == _proposed_score(client, as_user, event_id, "ent_sharing", people["seller"])
    _ok(client.post(f"/api/events/{event_id}/requests/{by_api['id']}/respond", json={"accept": True},
                    headers=as_user("provider_a")))
    assert _scheduler_scores(database_url, event_id) == {by_api["id"]: by_api["score"]}  # what weighs it


def test_a_reason_over_500_characters_is_refused_by_the_api_and_the_page_alike(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    people = _event(client, as_user, world)
    event_id = people["event"]
    refused = client.post(f"/api/events/{event_id}/requests", headers=as_user("ent_private"),
                          json={"to_id": people["seller"], "reason": LONG_REASON})
    assert refused.status_code == 422, refused.text
    assert refused.json()["message"] == "推荐理由不能超过 500 字"
    login(client, "ent_private")
    url = f"/events/{event_id}"
    post_form(client, f"{url}/requests", {"to_id": str(people["seller"]), "reason": LONG_REASON,
                                          "score": "不是数字"}, page=url)  # once a crash
    assert "推荐理由不能超过 500 字" in flashes(client, url)
    assert _requests(database_url, event_id) == []


def test_a_party_naming_another_participant_as_sender_is_refused(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    people = _event(client, as_user, world)
    event_id = people["event"]
    forged = client.post(f"/api/events/{event_id}/requests", headers=as_user("ent_private"),
                         json={"from_id": people["other"], "to_id": people["seller"]})
    assert forged.status_code == 403, forged.text
    assert "主管部门" in forged.json()["message"]
    login(client, "ent_private")  # the page's form, a from_id added
    url = f"/events/{event_id}"
    post_form(client, f"{url}/requests", {"from_id": str(people["other"]), "to_id": str(people["seller"])},
              page=url)
    assert "主管部门" in flashes(client, url)
    assert _requests(database_url, event_id) == []
    client.cookies.clear()
    own = _ok(client.post(f"/api/events/{event_id}/requests", headers=as_user("ent_private"),
                          json={"from_id": people["firm"], "to_id": people["seller"]}), 201)
    assert own["from_id"] == people["firm"]  # its own id is its own
    for_other = _ok(client.post(f"/api/events/{event_id}/requests", headers=as_user("jj_bureau"),
                                json={"from_id": people["other"], "to_id": people["seller"]}), 201)
    assert for_other["from_id"] == people["other"]  # the bureau acts for any participant
    for path in ("agenda", "agenda.ics", "proposals"):
        peek = client.get(f"/api/events/{event_id}/{path}", params={"participant_id": people["other"]},
                          headers=as_user("ent_private"))
        assert peek.status_code == 403, (path, peek.text)
        assert client.get(f"/api/events/{event_id}/{path}", params={"participant_id": people["other"]},
                          headers=as_user("jj_bureau")).status_code == 200


def test_every_route_refuses_managing_an_event_in_the_same_words(
        client: TestClient, world: World, as_user: Any) -> None:
    people = _event(client, as_user, world)
    event_id = people["event"]
    neighbour = as_user("xx_bureau")  # a bureau, of another region
    answers = [client.patch(f"/api/events/{event_id}", json={"place": "别处"}, headers=neighbour),
               client.get(f"/api/events/{event_id}/report", headers=neighbour),
               client.get(f"/api/events/{event_id}/reminders", headers=neighbour),
               client.get(f"/api/events/{event_id}/schedule.xlsx", headers=neighbour)]
    assert [(a.status_code, a.json()["message"]) for a in answers] == [(403, NOT_MANAGER)] * 4
    theirs = client.post(f"/api/events/{event_id}/participants/{people['firm']}/consent",
                         headers=as_user("ent_sharing"))
    assert theirs.status_code == 403 and theirs.json()["message"] == "只能确认本单位的报名"
    missing = client.get("/api/events/999999/report", headers=as_user("jj_bureau"))
    assert missing.status_code == 404 and missing.json()["message"] == "未找到编号为 999999 的对接活动"


def test_the_api_and_the_page_show_a_party_the_same_participants_and_requests(
        client: TestClient, world: World, as_user: Any) -> None:
    """A counterpart whose validation the bureau withdrew after the request stays named for the
    party it has a request with, through both doors; one with no request with it does not."""
    people = _event(client, as_user, world)
    event_id = people["event"]
    ask = _ok(client.post(f"/api/events/{event_id}/requests", headers=as_user("provider_a"),
                          json={"to_id": people["firm"]}), 201)
    for person in (people["firm"], people["other"]):
        _ok(client.post(f"/api/events/{event_id}/participants/{person}/validate",
                        json={"validated": False}, headers=as_user("jj_bureau")))
    listed = _ok(client.get(f"/api/events/{event_id}/participants", headers=as_user("provider_a")))
    assert {p["id"] for p in listed["data"]} == {people["seller"], people["firm"]}
    requests = _ok(client.get(f"/api/events/{event_id}/requests", headers=as_user("provider_a")))
    assert [r["id"] for r in requests["data"]] == [ask["id"]]
    login(client, "provider_a")
    page = client.get(f"/events/{event_id}", headers=HTML).text
    table = page[page.index('id="my-requests"'):page.index('id="agenda"')]
    assert "九江化工配套" not in table  # ent_sharing: no request with the provider
    assert table.count("<tr><td>") == 1 and "暂无" not in table
    names = {p["id"]: p["name"] for p in listed["data"]}
    assert names[people["firm"]] in table


# --- the rules the doors once kept each for itself, now the event service's --------------------


def test_a_bureau_holds_and_moves_an_event_only_in_its_regions_through_both_doors(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    """The region rule is catalog.events.service's (create_event, update_event); the form for a
    new event shows to a bureau that may hold one (catalog.events.permissions.can_create_event)."""
    refused = f"只能在本辖区内举办对接活动（“{XINXIANG}”不在本辖区内）"
    body = {"title": "跨区对接会", "region": XINXIANG, "sessions": SESSIONS}
    by_api = client.post("/api/events", json=body, headers=as_user("jj_bureau"))
    assert (by_api.status_code, by_api.json()["message"]) == (403, refused)
    event_id = _event(client, as_user, world)["event"]
    moved = client.patch(f"/api/events/{event_id}", json={"region": XINXIANG}, headers=as_user("jj_bureau"))
    assert (moved.status_code, moved.json()["message"]) == (403, refused)
    login(client, "jj_bureau")
    assert 'id="new-event"' in client.get("/events", headers=HTML).text
    post_form(client, "/events", {"title": "跨区对接会", "region": XINXIANG, "am_slots": "2"})
    assert refused in flashes(client, "/events")
    with Session(get_engine(database_url)) as session:
        assert session.exec(select(Event).where(Event.title == "跨区对接会")).all() == []
        assert session.get(Event, event_id).region == JIUJIANG  # type: ignore[union-attr]
        user(session, "bare_bureau", Role.BUREAU)  # a bureau account with no region yet
        session.commit()
    for username in ("bare_bureau", "ent_sharing"):
        client.cookies.clear()
        login(client, username)
        assert 'id="new-event"' not in client.get("/events", headers=HTML).text, username


TIME_LIMIT_REFUSED = "求解时间上限应大于 0 秒、至多 60 秒（收到 61 秒）"


def test_the_schedule_time_limit_is_one_rule_for_the_api_the_page_and_the_cli(
        client: TestClient, world: World, as_user: Any, database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """catalog.events.meetings.schedule_time_limit: one default (the page's, the API's and the
    command's when none is given) and one most, refused in the same words by the API and the CLI."""
    event_id = _event(client, as_user, world)["event"]
    bureau = as_user("jj_bureau")
    for wrong in (61, 0, -1):
        refused = client.post(f"/api/events/{event_id}/schedule", json={"time_limit_s": wrong}, headers=bureau)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "bad_time_limit" and "求解时间上限" in refused.json()["message"]
    too_long = client.post(f"/api/events/{event_id}/schedule", json={"time_limit_s": 61}, headers=bureau)
    assert too_long.json()["message"] == TIME_LIMIT_REFUSED
    monkeypatch.setenv("MARKET_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        by_cli = CliRunner().invoke(cli_app, ["events", "schedule", str(event_id), "--time-limit", "61"])
    finally:
        get_settings.cache_clear()
    assert by_cli.exit_code == 1
    assert "".join(f"排程失败：{TIME_LIMIT_REFUSED}".split()) in "".join(by_cli.output.split())
    assert _ok(client.post(f"/api/events/{event_id}/schedule", json={}, headers=bureau))["method"]
    login(client, "jj_bureau")  # the page asks for no limit: the same default
    url = f"/events/{event_id}"
    post_form(client, f"{url}/schedule", page=url)
    assert "排程完成" in flashes(client, url)


def test_a_participant_list_that_is_no_workbook_is_refused_alike_by_the_api_and_the_page(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    event_id = _event(client, as_user, world)["event"]
    refused = "参会名单须为 .xlsx 工作簿（所选文件：名单.csv）"
    files = {"file": ("名单.csv", b"uscc,name\n", "text/csv")}
    by_api = client.post(f"/api/events/{event_id}/participants/import", files=files, headers=as_user("jj_bureau"))
    assert by_api.status_code == 422, by_api.text
    assert (by_api.json()["code"], by_api.json()["message"]) == ("bad_file_type", refused)
    assert by_api.json()["details"] == [{"field": "file", "message": refused}]  # as an exchange import's
    login(client, "jj_bureau")
    url = f"/events/{event_id}"
    post_form(client, f"{url}/participants/import", page=url, files=files)
    assert refused in flashes(client, url)
    post_form(client, f"{url}/participants/import", page=url)  # no file chosen at all
    assert "参会名单须为 .xlsx 工作簿（所选文件：未选择）" in flashes(client, url)


def test_a_request_without_a_preference_is_the_services_default_through_both_doors(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    people = _event(client, as_user, world)
    event_id = people["event"]
    by_api = _ok(client.post(f"/api/events/{event_id}/requests", headers=as_user("ent_private"),
                             json={"to_id": people["seller"], "preference": None}), 201)
    login(client, "ent_sharing")
    url = f"/events/{event_id}"
    post_form(client, f"{url}/requests", {"to_id": str(people["seller"]), "preference": ""}, page=url)
    assert "约见申请已发出" in flashes(client, url)
    by_page = next(r for r in _requests(database_url, event_id) if r.from_id == people["other"])
    assert by_api["preference"] == by_page.preference == Preference.WISH
    wrong = client.post(f"/api/events/{event_id}/requests", headers=as_user("provider_a"),
                        json={"to_id": people["firm"], "preference": "随便"})
    assert wrong.status_code == 422, wrong.text


def test_a_sender_withdraws_its_request_through_either_door_and_no_one_else_may(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    """The page offers 撤回 on the sender's own live request only; the receiver is refused, and a
    withdrawn request cannot be withdrawn again."""
    people = _event(client, as_user, world)
    event_id = people["event"]
    first = _ok(client.post(f"/api/events/{event_id}/requests", headers=as_user("ent_private"),
                            json={"to_id": people["seller"]}), 201)
    second = _ok(client.post(f"/api/events/{event_id}/requests", headers=as_user("ent_sharing"),
                             json={"to_id": people["seller"]}), 201)
    refused = client.post(f"/api/events/{event_id}/requests/{first['id']}/withdraw", headers=as_user("provider_a"))
    assert refused.status_code == 403 and "只有发起方" in refused.json()["message"]
    done = _ok(client.post(f"/api/events/{event_id}/requests/{first['id']}/withdraw", headers=as_user("ent_private")))
    assert done["status"] == "已撤回"
    again = client.post(f"/api/events/{event_id}/requests/{first['id']}/withdraw", headers=as_user("ent_private"))
    assert again.status_code == 409, again.text
    url = f"/events/{event_id}"
    login(client, "provider_a")
    assert f"/requests/{second['id']}/withdraw" not in client.get(url, headers=HTML).text
    login(client, "ent_sharing")
    assert f"/requests/{second['id']}/withdraw" in client.get(url, headers=HTML).text
    post_form(client, f"{url}/requests/{second['id']}/withdraw", {}, page=url)
    assert "已撤回约见申请" in flashes(client, url)
    assert {r.id: r.status for r in _requests(database_url, event_id)}[second["id"]] == "已撤回"


def test_a_request_of_another_event_is_not_found_by_a_move_through_either_door(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    """A move looks its request up in the event it edits (catalog.events.service.request_of):
    another event's request is as unknown there as one that does not exist, through the API and
    the page alike, and stays off every grid."""
    here = _event(client, as_user, world)["event"]
    there = _event(client, as_user, world)
    asked = _ok(client.post(f"/api/events/{there['event']}/requests", headers=as_user("ent_private"),
                            json={"to_id": there["seller"]}), 201)
    _ok(client.post(f"/api/events/{there['event']}/requests/{asked['id']}/respond", json={"accept": True},
                    headers=as_user("provider_a")))
    for request_id in (asked["id"], 999999):
        moved = client.post(f"/api/events/{here}/meetings/move", headers=as_user("jj_bureau"),
                            json={"request_id": request_id, "slot": 1, "table": 1})
        assert (moved.status_code, moved.json()["message"]) == (404, f"未找到编号为 {request_id} 的约见申请")
    login(client, "jj_bureau")
    url = f"/events/{here}"
    for request_id in (asked["id"], 999999):
        page = post_form(client, f"{url}/move", {"request_id": str(request_id), "slot": "1", "table": "1"}, page=url)
        assert page.status_code == 404 and f"未找到编号为 {request_id} 的约见申请" in page.text
    with Session(get_engine(database_url)) as session:
        for event_id in (here, there["event"]):
            assert event_meetings.meetings(session=session, event_id=event_id) == []


def test_a_registration_value_the_schema_refuses_is_named_by_the_api_and_the_page(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    """Nine representatives (at most 5): the API's 422 names the field, the page flashes it in
    Chinese (once a 500), and neither registers anything."""
    bureau = as_user("jj_bureau")
    body = {"title": "报名校验对接会", "region": JIUJIANG, "sessions": SESSIONS, "tables": 2}
    event_id = _ok(client.post("/api/events", json=body, headers=bureau), 201)["id"]
    _ok(client.post(f"/api/events/{event_id}/status", json={"status": "报名中"}, headers=bureau))
    refused = client.post(f"/api/events/{event_id}/participants", headers=as_user("ent_private"),
                          json={"enterprise_id": world.ids["member_private"], "representatives": 9})
    assert refused.status_code == 422, refused.text
    assert "representatives" in refused.json()["message"]
    login(client, "ent_private")
    url = f"/events/{event_id}"
    for value, said in (("9", "派出代表人数：不能大于 5"), ("0", "派出代表人数：不能小于 1"),
                        ("两位", "派出代表人数：应为整数")):
        answer = post_form(client, f"{url}/register", {"representatives": value, "sessions_shown": "1",
                                                       "sessions": "0"}, page=url)
        assert answer.status_code == 303, answer.text
        assert f"报名信息有误：{said}" in flashes(client, url), value
    client.cookies.clear()
    listed = _ok(client.get(f"/api/events/{event_id}/participants", headers=bureau))
    assert listed["count"] == 0
    login(client, "ent_private")
    post_form(client, f"{url}/register", {"representatives": "2", "sessions_shown": "1", "sessions": "0"}, page=url)
    assert "已报名，等待主办方确认" in flashes(client, url)
    client.cookies.clear()
    assert [p["representatives"] for p in _ok(client.get(f"/api/events/{event_id}/participants",
                                                          headers=bureau))["data"]] == [2]
