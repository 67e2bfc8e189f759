"""The event page's forms keep the same rules as the API: a bureau reaches only the
participants, requests and meetings of the event it manages."""

from __future__ import annotations

from typing import Any

from page_helpers import flashes, login, post_form
from sqlmodel import Session
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
