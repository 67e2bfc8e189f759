"""Who acts on whom across regions: a bureau only on parties of its own regions, an event only by
its owner, needs reach providers only with the enterprise's consent (finding 2); jurisdiction
fields only by the bureau, within its regions (finding 5)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select
from web_builders import JIUJIANG, XINXIANG

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise
from catalog.events.models import Event, EventParticipant
from catalog.providers.models import Provider
from catalog.solutions.models import Solution

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]


def _event(client: Any, as_user: Any, username: str = "jj_bureau", region: str = JIUJIANG) -> int:
    body = {"title": "设备运维供需对接会", "region": region, "sessions": SESSIONS, "tables": 2}
    made = client.post("/api/events", json=body, headers=as_user(username))
    assert made.status_code == 201, made.text
    event_id = int(made.json()["id"])
    opened = client.post(f"/api/events/{event_id}/status", json={"status": "报名中"}, headers=as_user(username))
    assert opened.status_code == 200, opened.text
    return event_id


def _participants(database_url: str, event_id: int) -> int:
    with Session(get_engine(database_url)) as session:
        query = select(func.count()).select_from(EventParticipant).where(EventParticipant.event_id == event_id)
        return int(session.exec(query).one())


def _lead_enterprises(client: Any, as_user: Any, provider_id: int) -> set[int]:
    response = client.get(f"/api/providers/{provider_id}/leads", headers=as_user("provider_a"))
    assert response.status_code == 200, response.text
    return {lead["enterprise_id"] for lead in response.json()["leads"]}


# --- finding 2: events and enrolment ------------------------------------------------------


def test_a_bureau_cannot_enrol_another_citys_enterprise(client, world, as_user, database_url) -> None:
    event_id = _event(client, as_user, "xx_bureau", XINXIANG)
    response = client.post(f"/api/events/{event_id}/participants", headers=as_user("xx_bureau"),
                           json={"enterprise_id": world.ids["member_private"]})
    assert response.status_code == 403, response.text
    assert "本辖区" in response.json()["message"]
    assert _participants(database_url, event_id) == 0


def test_an_event_needs_a_region_of_the_bureau(client, world, as_user) -> None:
    nowhere = client.post("/api/events", json={"title": "无地区活动"}, headers=as_user("jj_bureau"))
    assert nowhere.status_code == 422, nowhere.text
    elsewhere = client.post("/api/events", json={"title": "跨区活动", "region": XINXIANG}, headers=as_user("jj_bureau"))
    assert elsewhere.status_code == 403, elsewhere.text
    event_id = _event(client, as_user)
    moved = client.patch(f"/api/events/{event_id}", json={"region": XINXIANG}, headers=as_user("jj_bureau"))
    assert moved.status_code == 403, moved.text
    assert client.get(f"/api/events/{event_id}", headers=as_user("jj_bureau")).json()["region"] == JIUJIANG


def test_an_event_stored_without_a_region_is_managed_by_its_maker_only(client, world, as_user, database_url) -> None:
    with Session(get_engine(database_url)) as session:
        event = Event(title="旧活动", region="", created_by="bureau:jj_bureau", sessions=SESSIONS, status="报名中")
        session.add(event)
        session.commit()
        event_id = event.id
    other = client.post(f"/api/events/{event_id}/participants", headers=as_user("xx_bureau"),
                        json={"enterprise_id": world.ids["ent_xx"]})
    assert other.status_code == 403, other.text
    edit = client.patch(f"/api/events/{event_id}", json={"place": "别处"}, headers=as_user("xx_bureau"))
    assert edit.status_code == 403, edit.text
    own = client.patch(f"/api/events/{event_id}", json={"place": "九江会展中心"}, headers=as_user("jj_bureau"))
    assert own.status_code == 200, own.text


def test_needs_reach_the_providers_of_an_event_only_with_the_enterprises_consent(
        client, world, as_user, database_url) -> None:
    event_id = _event(client, as_user)
    provider_id = world.ids["provider_a"]
    mine = client.post(f"/api/events/{event_id}/participants", headers=as_user("provider_a"),
                       json={"provider_id": provider_id})
    assert mine.status_code == 201, mine.text
    enrolled = client.post(f"/api/events/{event_id}/participants", headers=as_user("jj_bureau"),
                           json={"enterprise_id": world.ids["member_sharing"], "need_ids": [world.ids["need_sharing"]]})
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["consented"] is False
    assert world.ids["member_sharing"] not in _lead_enterprises(client, as_user, provider_id)
    person = enrolled.json()["id"]
    stranger = client.post(f"/api/events/{event_id}/participants/{person}/consent", headers=as_user("ent_private"))
    assert stranger.status_code == 403, stranger.text
    agreed = client.post(f"/api/events/{event_id}/participants/{person}/consent", headers=as_user("ent_sharing"))
    assert agreed.status_code == 200, agreed.text
    assert world.ids["member_sharing"] in _lead_enterprises(client, as_user, provider_id)


def test_an_enterprise_registering_itself_consents(client, world, as_user) -> None:
    event_id = _event(client, as_user)
    response = client.post(f"/api/events/{event_id}/participants", headers=as_user("ent_sharing"),
                           json={"enterprise_id": world.ids["member_sharing"]})
    assert response.status_code == 201, response.text
    assert response.json()["consented"] is True


# --- finding 5: jurisdiction fields ---------------------------------------------------------


def _region(database_url: str, model: Any, record_id: int) -> str:
    with Session(get_engine(database_url)) as session:
        return str(session.get(model, record_id).region)


def test_a_provider_cannot_move_itself_into_another_jurisdiction(client, world, as_user, database_url) -> None:
    pid = world.ids["provider_a"]
    version = client.get(f"/api/providers/{pid}", headers=as_user("provider_a")).json()["version"]
    response = client.patch(f"/api/providers/{pid}", headers=as_user("provider_a"),
                            json={"region": f"{XINXIANG}红旗区", "version": version})
    assert response.status_code == 403, response.text
    assert "所在地区" in response.json()["message"]
    assert _region(database_url, Provider, pid).startswith(JIUJIANG)


def test_a_bureau_moves_records_only_within_its_regions(client, world, as_user, database_url) -> None:
    pid, eid = world.ids["provider_a"], world.ids["member_private"]
    headers = as_user("jj_bureau")
    provider = client.get(f"/api/providers/{pid}", headers=headers).json()
    away = client.patch(f"/api/providers/{pid}", headers=headers,
                        json={"region": f"{XINXIANG}红旗区", "version": provider["version"]})
    assert away.status_code == 403, away.text
    within = client.patch(f"/api/providers/{pid}", headers=headers,
                          json={"region": f"{JIUJIANG}浔阳区", "version": provider["version"]})
    assert within.status_code == 200, within.text
    firm = client.get(f"/api/enterprises/{eid}", headers=headers).json()
    moved = client.patch(f"/api/enterprises/{eid}", headers=headers,
                         json={"region": f"{XINXIANG}长垣市", "version": firm["version"]})
    assert moved.status_code == 403, moved.text
    assert _region(database_url, Enterprise, eid).startswith(JIUJIANG)


def test_a_solution_goes_only_to_a_provider_of_the_bureaus_regions(client, world, as_user, database_url) -> None:
    sid = world.ids["sol_a"]
    headers = as_user("jj_bureau")
    version = client.get(f"/api/solutions/{sid}", headers=headers).json()["version"]
    response = client.patch(f"/api/solutions/{sid}", headers=headers,
                            json={"provider_id": world.ids["provider_b"], "version": version})
    assert response.status_code == 403, response.text
    with Session(get_engine(database_url)) as session:
        assert session.get(Solution, sid).provider_id == world.ids["provider_a"]



def test_privacy_choices_are_the_enterprises_own(client, world, as_user, database_url) -> None:
    eid = world.ids["member_private"]
    for username in ("jj_bureau", "chain_leader"):
        version = client.get(f"/api/enterprises/{eid}", headers=as_user(username)).json()["version"]
        response = client.patch(f"/api/enterprises/{eid}", headers=as_user(username),
                                json={"findable_by_providers": True, "version": version})
        assert response.status_code == 403, response.text
    with Session(get_engine(database_url)) as session:
        assert not session.get(Enterprise, eid).findable_by_providers
    version = client.get(f"/api/enterprises/{eid}", headers=as_user("ent_private")).json()["version"]
    own = client.patch(f"/api/enterprises/{eid}", headers=as_user("ent_private"),
                       json={"findable_by_providers": True, "version": version})
    assert own.status_code == 200, own.text


def test_an_enterprise_cannot_register_another_enterprise(client, world, as_user) -> None:
    event_id = _event(client, as_user)
    response = client.post(f"/api/events/{event_id}/participants", headers=as_user("ent_sharing"),
                           json={"enterprise_id": world.ids["ent_xx"]})
    assert response.status_code == 403, response.text
    assert response.json()["message"] == "只能为本单位报名"
