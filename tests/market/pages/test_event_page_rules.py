"""The event page's forms keep the same rules as the API: a bureau reaches only the
participants, requests and meetings of the event it manages."""

from __future__ import annotations

from typing import Any

from page_helpers import flashes, login, post_form
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
