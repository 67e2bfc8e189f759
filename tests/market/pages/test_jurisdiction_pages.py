"""A provider's profile page never moves it into another bureau's jurisdiction (finding 5)."""

from __future__ import annotations

from page_helpers import login, post_form
from sqlmodel import Session
from web_builders import JIUJIANG, XINXIANG

from catalog.db import get_engine
from catalog.providers.models import Provider


def test_the_provider_profile_page_keeps_the_region(client, world, database_url) -> None:
    login(client, "provider_a")
    form = {"name": "九江云联设备科技有限公司", "kind": "专业服务商", "region": f"{XINXIANG}红旗区",
            "description": "设备联网与运维", "scenarios": "设备管理运维", "industries": "C26"}
    response = post_form(client, "/provider/profile", form)
    assert response.status_code == 303, response.text
    with Session(get_engine(database_url)) as session:
        assert session.get(Provider, world.ids["provider_a"]).region.startswith(JIUJIANG)


def test_an_enterprise_confirms_on_the_event_page_a_registration_the_bureau_made(client, world, database_url) -> None:
    from catalog.events.models import Event, EventParticipant

    with Session(get_engine(database_url)) as session:
        event = Event(title="对接会", region=JIUJIANG, status="报名中",
                      sessions=[{"name": "上午", "start": "09:00", "slots": 2}])
        session.add(event)
        session.flush()
        person = EventParticipant(event_id=event.id, side="enterprise", enterprise_id=world.ids["member_sharing"])
        session.add(person)
        session.commit()
        event_id, person_id = event.id, person.id
    login(client, "ent_sharing")
    assert "确认参会" in client.get(f"/events/{event_id}", headers={"accept": "text/html"}).text
    response = post_form(client, f"/events/{event_id}/consent", page=f"/events/{event_id}")
    assert response.status_code == 303
    with Session(get_engine(database_url)) as session:
        assert session.get(EventParticipant, person_id).consented
