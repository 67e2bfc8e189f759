"""The event page's forms keep the same rules as the API: a bureau reaches only the
participants, requests and meetings of the event it manages."""

from __future__ import annotations

from typing import Any

from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session, select
from web_builders import JIUJIANG, XINXIANG, World

from catalog.db import get_engine
from catalog.events.models import Event, EventParticipant

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]


def _event(session: Session, region: str, title: str) -> Event:
    event = Event(title=title, region=region, status="报名中", sessions=SESSIONS, created_by="局")
    session.add(event)
    session.flush()
    return event


def _registered(database_url: str, world: World) -> tuple[int, int, int]:
    """A 九江 event with one enterprise registered (not yet validated), and a 新乡 event:
    (九江 event, its participant, 新乡 event)."""
    with Session(get_engine(database_url)) as session:
        jiujiang, xinxiang = _event(session, JIUJIANG, "九江对接会"), _event(session, XINXIANG, "新乡对接会")
        person = EventParticipant(event_id=jiujiang.id or 0, side="enterprise",
                                  enterprise_id=world.ids["member_sharing"])
        session.add(person)
        session.commit()
        return jiujiang.id or 0, person.id or 0, xinxiang.id or 0


def _validated(database_url: str, person_id: int) -> bool:
    with Session(get_engine(database_url)) as session:
        found = session.get(EventParticipant, person_id)
        assert found is not None
        return found.validated


def test_a_bureau_cannot_validate_on_its_event_page_a_participant_of_another_event(
        client: Any, world: World, database_url: str) -> None:
    jiujiang, person, xinxiang = _registered(database_url, world)
    login(client, "xx_bureau")
    url = f"/events/{xinxiang}"
    response = post_form(client, f"{url}/participants/{person}/validate", page=url)
    assert response.status_code in (303, 404)
    if response.status_code == 303:
        assert "未找到编号为" in flashes(client, url)
    assert not _validated(database_url, person)
    # and the bureau of the participant's own event does validate it there
    client.cookies.clear()
    login(client, "jj_bureau")
    url = f"/events/{jiujiang}"
    assert post_form(client, f"{url}/participants/{person}/validate", page=url).status_code == 303
    assert "已确认参会资格" in flashes(client, url)
    assert _validated(database_url, person)


def test_the_api_refuses_the_same_cross_event_validation(
        client: Any, world: World, as_user: Any, database_url: str) -> None:
    _, person, xinxiang = _registered(database_url, world)
    response = client.post(f"/api/events/{xinxiang}/participants/{person}/validate", json={},
                           headers=as_user("xx_bureau"))
    assert response.status_code == 404
    assert not _validated(database_url, person)


def _created(database_url: str, title: str) -> list[Event]:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        return list(session.exec(select(Event).where(Event.title == title)))


def test_the_form_and_the_api_give_a_new_event_the_same_defaults(
        client: Any, world: World, as_user: Any, database_url: str) -> None:
    body = {"title": "接口建的对接会", "region": JIUJIANG,
            "sessions": [{"name": "上午", "slots": 2}, {"name": "下午", "slots": 1}]}
    made = client.post("/api/events", json=body, headers=as_user("jj_bureau"))
    assert made.status_code == 201, made.text
    login(client, "jj_bureau")
    form = {"title": "表单建的对接会", "region": JIUJIANG, "am_slots": "2", "pm_slots": "1",
            "tables": "", "slot_minutes": ""}
    assert post_form(client, "/events", form).status_code == 303
    [by_api], [by_form] = _created(database_url, "接口建的对接会"), _created(database_url, "表单建的对接会")
    assert by_form.tables == by_api.tables == 10
    assert by_form.sessions == by_api.sessions
    assert [(s["start"], s["slot_minutes"]) for s in by_form.sessions] == [("09:00", 20), ("14:00", 20)]
    labels = [s["label"] for s in made.json()["slots"]]
    assert labels == ["09:00–09:20", "09:20–09:40", "14:00–14:20"]


def test_only_a_bureau_creates_an_event_by_form_and_only_in_its_regions(
        client: Any, world: World, database_url: str) -> None:
    login(client, "ent_sharing")
    refused = post_form(client, "/events", {"title": "企业建的对接会", "region": JIUJIANG, "am_slots": "2"})
    assert refused.status_code == 403
    assert _created(database_url, "企业建的对接会") == []
    client.cookies.clear()
    login(client, "jj_bureau")
    post_form(client, "/events", {"title": "跨区对接会", "region": XINXIANG, "am_slots": "2"})
    assert "本辖区" in flashes(client, "/events")
    assert _created(database_url, "跨区对接会") == []


# --- answering a request and recording an outcome: the receiver (or that party), or the bureau
# managing the event on its behalf, through either front door -------------------------------


def _meeting_ready(database_url: str, world: World, *, status: str = "约见中") -> dict[str, int]:
    """A 九江 event: the provider provider_a asked the enterprise ent_sharing for a meeting (still
    unanswered), placed on the grid (published once the event is 已排程); ent_private registered
    but not validated; and a second 九江 event with a request of its own."""
    from catalog.events.models import Meeting, MeetingRequest

    with Session(get_engine(database_url)) as session:
        event, other = _event(session, JIUJIANG, "九江对接会"), _event(session, JIUJIANG, "另一场对接会")
        event.status = status
        seller = EventParticipant(event_id=event.id or 0, side="provider", provider_id=world.ids["provider_a"],
                                  sessions=[0], validated=True, consented=True)
        firm = EventParticipant(event_id=event.id or 0, side="enterprise", enterprise_id=world.ids["member_sharing"],
                                sessions=[0], validated=True, consented=True, need_ids=[world.ids["need_sharing"]])
        pending = EventParticipant(event_id=event.id or 0, side="enterprise", enterprise_id=world.ids["member_private"],
                                   sessions=[0], need_ids=[world.ids["need_private"]])
        elsewhere = EventParticipant(event_id=other.id or 0, side="enterprise", enterprise_id=world.ids["member_sharing"],
                                     sessions=[0], validated=True)
        elsewhere_seller = EventParticipant(event_id=other.id or 0, side="provider", provider_id=world.ids["provider_a"],
                                            sessions=[0], validated=True)
        session.add_all([seller, firm, pending, elsewhere, elsewhere_seller])
        session.flush()
        ask = MeetingRequest(event_id=event.id or 0, from_id=seller.id or 0, to_id=firm.id or 0)
        foreign = MeetingRequest(event_id=other.id or 0, from_id=elsewhere_seller.id or 0, to_id=elsewhere.id or 0)
        session.add_all([ask, foreign])
        session.flush()
        meeting = Meeting(event_id=event.id or 0, request_id=ask.id or 0, slot=1, table_no=1,
                          published=status == "已排程")
        session.add(meeting)
        session.commit()
        return {"event": event.id or 0, "request": ask.id or 0, "foreign_request": foreign.id or 0,
                "meeting": meeting.id or 0, "firm": firm.id or 0, "pending": pending.id or 0}


def _request_status(database_url: str, request_id: int) -> str:
    from catalog.events.models import MeetingRequest

    with Session(get_engine(database_url)) as session:
        found = session.get(MeetingRequest, request_id)
        assert found is not None
        return found.status


def _outcomes(database_url: str, meeting_id: int) -> tuple[str | None, str | None]:
    from catalog.events.models import Meeting

    with Session(get_engine(database_url)) as session:
        found = session.get(Meeting, meeting_id)
        assert found is not None
        return found.enterprise_outcome, found.provider_outcome


def _as(client: Any, username: str) -> None:
    client.cookies.clear()
    login(client, username)


def test_the_receiver_or_the_managing_bureau_answers_a_request_on_the_page(
        client: Any, world: World, database_url: str) -> None:
    ids = _meeting_ready(database_url, world)
    url = f"/events/{ids['event']}"
    for username in ("provider_a", "xx_bureau"):  # the sender; a bureau elsewhere
        _as(client, username)
        post_form(client, f"{url}/requests/{ids['request']}/respond", {"accept": "1"}, page=url)
        assert "只有被约见方可以回复该申请" in flashes(client, url)
    _as(client, "jj_bureau")
    assert f'action="{url}/requests/{ids["request"]}/respond"' in client.get(url, headers=HTML).text
    post_form(client, f"{url}/requests/{ids['foreign_request']}/respond", {"accept": "1"}, page=url)
    assert "未找到编号为" in flashes(client, url)  # a request of another event, not through this one
    assert _request_status(database_url, ids["foreign_request"]) == "待回复"
    post_form(client, f"{url}/requests/{ids['request']}/respond", {"accept": "1"}, page=url)
    assert "已接受约见" in flashes(client, url)
    assert _request_status(database_url, ids["request"]) == "已接受"


def test_the_same_answers_through_the_api(client: Any, world: World, as_user: Any, database_url: str) -> None:
    ids = _meeting_ready(database_url, world)
    answer = f"/api/events/{ids['event']}/requests/{{}}/respond"
    assert client.post(answer.format(ids["request"]), json={"accept": False},
                       headers=as_user("provider_a")).status_code == 403
    assert client.post(answer.format(ids["foreign_request"]), json={"accept": True},
                       headers=as_user("jj_bureau")).status_code == 404
    by_firm = client.post(answer.format(ids["request"]), json={"accept": False}, headers=as_user("ent_sharing"))
    assert by_firm.status_code == 200, by_firm.text  # an enterprise receiver answers too
    assert _request_status(database_url, ids["request"]) == "已拒绝"


def test_a_party_records_its_own_side_and_the_bureau_a_named_side_through_both_doors(
        client: Any, world: World, as_user: Any, database_url: str) -> None:
    ids = _meeting_ready(database_url, world, status="已排程")
    url = f"/events/{ids['event']}"
    outcome = f"/api/events/{ids['event']}/meetings/{ids['meeting']}/outcome"
    refused = client.post(outcome, json={"outcome": "有意向"}, headers=as_user("ent_private"))
    assert refused.status_code == 403  # registered, but not a party of this meeting
    ok = client.post(outcome, json={"outcome": "有意向", "side": "provider"}, headers=as_user("ent_sharing"))
    assert ok.status_code == 200, ok.text  # its own side, whatever side it names
    assert _outcomes(database_url, ids["meeting"]) == ("有意向", None)
    missing = client.post(outcome, json={"outcome": "未到场"}, headers=as_user("jj_bureau"))
    assert missing.status_code == 422 or missing.status_code == 400
    _as(client, "jj_bureau")
    form = f"{url}/meetings/{ids['meeting']}/outcome"
    post_form(client, form, {"outcome": "未到场"}, page=url)
    assert "请指定代为登记的一方" in flashes(client, url)
    post_form(client, form, {"outcome": "无合作意向", "side": "provider"}, page=url)
    assert "对接成果已登记" in flashes(client, url)
    assert _outcomes(database_url, ids["meeting"]) == ("有意向", "无合作意向")
    _as(client, "provider_a")
    post_form(client, form, {"outcome": "已签约"}, page=url)
    assert _outcomes(database_url, ids["meeting"]) == ("有意向", "已签约")
    _as(client, "ent_private")
    post_form(client, form, {"outcome": "未到场"}, page=url)
    assert "只能登记本单位参加的约见" in flashes(client, url)


# --- what each user sees: one list, one order, no more on the page than in the API ----------


def _event_ids_on_page(html: str) -> list[int]:
    import re

    table = html.split('id="event-list"', 1)[1].split("</table>", 1)[0] if 'id="event-list"' in html else ""
    return [int(n) for n in re.findall(r'href="/events/(\d+)"', table)]


def test_the_api_and_the_page_list_the_same_events_in_the_same_order(
        client: Any, world: World, as_user: Any, database_url: str) -> None:
    from datetime import date

    with Session(get_engine(database_url)) as session:
        for title, region, status, day in (
                ("九江旧会", JIUJIANG, "已结束", date(2026, 3, 1)), ("新乡会", XINXIANG, "报名中", date(2026, 12, 1)),
                ("九江草稿", JIUJIANG, "草稿", None), ("新乡草稿", XINXIANG, "草稿", None),
                ("九江新会", JIUJIANG, "报名中", date(2026, 11, 1)), ("九江待定", JIUJIANG, "报名中", None)):
            event = _event(session, region, title)
            event.status, event.day = status, day
        session.commit()
    for username in ("jj_bureau", "xx_bureau", "ent_sharing", "provider_a"):
        listed = client.get("/api/events", headers=as_user(username)).json()["data"]
        _as(client, username)
        assert _event_ids_on_page(client.get("/events", headers=HTML).text) == [e["id"] for e in listed], username
    titles = [e["title"] for e in client.get("/api/events", headers=as_user("jj_bureau")).json()["data"]]
    assert titles == ["九江待定", "九江草稿", "九江新会", "九江旧会", "新乡会"]  # its own first, then by day
    titles = [e["title"] for e in client.get("/api/events", headers=as_user("ent_sharing")).json()["data"]]
    assert titles == ["九江待定", "新乡会", "九江新会", "九江旧会"]


def test_a_participant_sees_on_the_page_no_one_the_api_hides(
        client: Any, world: World, as_user: Any, database_url: str) -> None:
    ids = _meeting_ready(database_url, world, status="已排程")
    listed = client.get(f"/api/events/{ids['event']}/participants", headers=as_user("ent_sharing")).json()["data"]
    assert ids["pending"] not in [p["id"] for p in listed]  # not validated yet
    assert [p.get("need_ids") for p in listed if p["id"] == ids["firm"]] == [[world.ids["need_sharing"]]]
    assert all("need_ids" not in p for p in listed if p["id"] != ids["firm"])
    _as(client, "ent_sharing")
    page = client.get(f"/events/{ids['event']}", headers=HTML).text
    assert "九江云联设备科技有限公司" in page  # its counterpart
    with Session(get_engine(database_url)) as session:
        from catalog.enterprises.models import Enterprise

        hidden = session.get(Enterprise, world.ids["member_private"])
        assert hidden is not None
        assert hidden.name not in page
    bureau = client.get(f"/api/events/{ids['event']}/participants", headers=as_user("jj_bureau")).json()["data"]
    assert ids["pending"] in [p["id"] for p in bureau] and all("need_ids" in p for p in bureau)
