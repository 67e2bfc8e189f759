"""An event is written under the shared stale-version guard (catalog/writes.py): a PATCH naming a
version another write has replaced, or an edit racing another session's, answers 409 with the
Chinese message and changes nothing; a current version goes through and moves the version on."""

from __future__ import annotations

from typing import Any

import pytest
from event_builders import build_event
from fastapi.testclient import TestClient
from sqlmodel import Session
from web_builders import JIUJIANG, World

from catalog.db import get_engine
from catalog.errors import Conflict
from catalog.events import meetings as event_meetings
from catalog.events import service as event_service
from catalog.events.models import Event, EventParticipant, EventUpdate, Meeting, MeetingRequest
from catalog.writes import STALE
from market.events.scheduling import run_schedule

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]


def _event(client: TestClient, as_user: Any) -> dict[str, Any]:
    body = {"title": "设备运维供需对接会", "region": JIUJIANG, "sessions": SESSIONS, "tables": 2}
    made = client.post("/api/events", json=body, headers=as_user("jj_bureau"))
    assert made.status_code == 201, made.text
    return dict(made.json())


def _stored(database_url: str, event_id: int) -> Event:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        found = session.get(Event, event_id)
        assert found is not None
        return found


def test_a_patch_naming_a_replaced_version_is_409(client: TestClient, world: World, as_user: Any,
                                                  database_url: str) -> None:
    event = _event(client, as_user)
    url, headers = f"/api/events/{event['id']}", as_user("jj_bureau")
    first = client.patch(url, json={"place": "九江会展中心", "version": event["version"]}, headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["version"] == event["version"] + 1
    stale = client.patch(url, json={"place": "别处", "version": event["version"]}, headers=headers)
    assert stale.status_code == 409, stale.text
    assert (stale.json()["code"], stale.json()["message"]) == ("stale_version", STALE)
    assert _stored(database_url, event["id"]).place == "九江会展中心"
    unversioned = client.patch(url, json={"tables": 3}, headers=headers)  # no version sent: no check
    assert unversioned.status_code == 200 and unversioned.json()["version"] == event["version"] + 2


def test_a_status_change_moves_the_version_on(client: TestClient, world: World, as_user: Any) -> None:
    event = _event(client, as_user)
    opened = client.post(f"/api/events/{event['id']}/status", json={"status": "报名中"},
                         headers=as_user("jj_bureau"))
    assert opened.status_code == 200 and opened.json()["version"] == event["version"] + 1
    stale = client.patch(f"/api/events/{event['id']}", json={"place": "别处", "version": event["version"]},
                         headers=as_user("jj_bureau"))
    assert stale.status_code == 409 and stale.json()["message"] == STALE


def test_an_edit_racing_another_sessions_is_a_conflict(client: TestClient, world: World, as_user: Any,
                                                       database_url: str) -> None:
    """The version is a condition of the UPDATE itself: the later of two writers loses, even
    without naming a version."""
    event_id = int(_event(client, as_user)["id"])
    engine = get_engine(database_url)
    with Session(engine) as mine, Session(engine) as theirs:
        loaded = mine.get(Event, event_id)
        assert loaded is not None
        other = theirs.get(Event, event_id)
        assert other is not None
        event_service.update_event(session=theirs, event=other, data=EventUpdate(place="他人先保存的地点"),
                                   user=None, actor="局")
        theirs.commit()
        with pytest.raises(Conflict) as caught:
            event_service.update_event(session=mine, event=loaded, data=EventUpdate(place="我后保存的地点"),
                                       user=None, actor="局")
        assert caught.value.message == STALE
        mine.rollback()
    assert _stored(database_url, event_id).place == "他人先保存的地点"


def _published_meeting(database_url: str) -> tuple[int, int]:
    """A scheduled event's published meeting: (its id, the enterprise participant's id)."""
    with Session(get_engine(database_url)) as session:
        event = build_event(session, seed=3, firms=4, sellers=2)
        run_schedule(session=session, event=event, actor="局", time_limit_s=1)
        event_service.publish_schedule(session=session, event=event, actor="局")
        session.commit()
        meeting = event_meetings.meetings(session=session, event_id=event.id or 0)[0]
        request = session.get(MeetingRequest, meeting.request_id)
        assert request is not None
        return meeting.id or 0, request.from_id


def test_a_meeting_written_by_two_sessions_at_once_is_a_conflict(world: World, database_url: str) -> None:
    """Meetings are versioned in the database too: the later of two outcome writers loses, and a
    write moves the version on by exactly one."""
    meeting_id, _ = _published_meeting(database_url)
    engine = get_engine(database_url)
    with Session(engine) as mine, Session(engine) as theirs:
        loaded, other = mine.get(Meeting, meeting_id), theirs.get(Meeting, meeting_id)
        assert loaded is not None and other is not None
        before = other.version
        event_meetings.record_outcome(session=theirs, meeting=other, side="enterprise", outcome="无合作意向",
                                      actor="企业")
        theirs.commit()
        assert other.version == before + 1
        with pytest.raises(Conflict) as caught:
            event_meetings.record_outcome(session=mine, meeting=loaded, side="provider", outcome="未到场",
                                          actor="服务商")
        assert caught.value.message == STALE
        mine.rollback()
    with Session(engine) as session:
        stored = session.get(Meeting, meeting_id)
        assert stored is not None and (stored.enterprise_outcome, stored.provider_outcome) == ("无合作意向", None)


def test_a_participant_written_by_two_sessions_at_once_is_a_conflict(world: World, database_url: str) -> None:
    """Participants are versioned in the database: of two bureau tabs withdrawing one's
    validation, the later is told the record changed."""
    _, person_id = _published_meeting(database_url)
    engine = get_engine(database_url)
    with Session(engine) as mine, Session(engine) as theirs:
        loaded, other = mine.get(EventParticipant, person_id), theirs.get(EventParticipant, person_id)
        assert loaded is not None and other is not None and loaded.validated
        event = theirs.get(Event, other.event_id)
        assert event is not None
        before = other.version
        event_service.validate_participant(session=theirs, event=event, participant_id=person_id, actor="局",
                                           validated=False)
        theirs.commit()
        assert other.version == before + 1
        stale_event = mine.get(Event, loaded.event_id)
        assert stale_event is not None
        with pytest.raises(Conflict) as caught:  # the second tab, still showing it validated
            event_service.validate_participant(session=mine, event=stale_event, participant_id=person_id,
                                               actor="局", validated=False)
        assert caught.value.message == STALE
        mine.rollback()
