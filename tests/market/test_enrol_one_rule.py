"""Whom a bureau may register for an event it manages is one rule
(catalog.events.permissions.can_enrol), the same for one registration through the API and for
every row of a participant list: the parties of its own regions (and published providers), not
those of the event's region. The two cases where the list used to decide otherwise — an event
stored without a region, and a bureau of two cities — now answer alike through both paths."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlmodel import Session, func, select
from web_builders import JIUJIANG, XINXIANG, World, user

from catalog.db import get_engine
from catalog.events.models import Event, EventParticipant
from catalog.users.models import Role
from catalog.validation import make_uscc

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]
OTHER_CITY_FIRM = "新乡起重部件有限公司"  # world.ids["ent_xx"], in 新乡
REFUSAL = "该企业不在本辖区内：主管部门只能为本辖区内的企业报名（其他地区的企业请自行报名）"


def _stored_event(database_url: str, *, region: str, created_by: str) -> int:
    with Session(get_engine(database_url)) as session:
        event = Event(title="设备运维供需对接会", region=region, created_by=created_by, sessions=SESSIONS,
                      status="报名中")
        session.add(event)
        session.commit()
        return int(event.id or 0)


def _twin_bureau(database_url: str) -> str:
    with Session(get_engine(database_url)) as session:
        user(session, "twin_bureau", Role.BUREAU, regions=[JIUJIANG, XINXIANG])
        session.commit()
    return "twin_bureau"


def _roster(firm: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "参会方"
    sheet.append(["统一社会信用代码", "代表人数", "参会场次", "是否确认"])
    sheet.append([make_uscc(firm), 1, "", "是"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _by_api(client: TestClient, headers: dict[str, str], event_id: int, enterprise_id: int) -> Any:
    return client.post(f"/api/events/{event_id}/participants", headers=headers, json={"enterprise_id": enterprise_id})


def _by_list(client: TestClient, headers: dict[str, str], event_id: int, firm: str) -> Any:
    files = {"file": ("参会名单.xlsx", _roster(firm),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    return client.post(f"/api/events/{event_id}/participants/import", files=files, headers=headers)


def _count(database_url: str, event_id: int) -> int:
    with Session(get_engine(database_url)) as session:
        query = select(func.count()).select_from(EventParticipant).where(EventParticipant.event_id == event_id)
        return int(session.exec(query).one())


def test_an_event_without_a_region_takes_no_other_citys_enterprise_by_either_path(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    """The list used to take anyone here (every region starts with the empty one)."""
    headers = as_user("jj_bureau")
    first, second = (_stored_event(database_url, region="", created_by="bureau:jj_bureau") for _ in range(2))
    one = _by_api(client, headers, first, world.ids["ent_xx"])
    assert one.status_code == 403, one.text
    assert one.json()["code"] == "region_forbidden" and one.json()["message"] == REFUSAL
    listed = _by_list(client, headers, second, OTHER_CITY_FIRM)
    assert listed.status_code == 422, listed.text
    assert [(e["row"], e["column"], e["message"]) for e in listed.json()["details"]] == [
        (2, "统一社会信用代码", REFUSAL)]
    assert (_count(database_url, first), _count(database_url, second)) == (0, 0)


def test_a_bureau_of_two_cities_registers_either_citys_enterprise_by_either_path(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    """The list used to refuse an enterprise outside the event's own city, the API took it."""
    headers = as_user(_twin_bureau(database_url))
    first, second = (_stored_event(database_url, region=JIUJIANG, created_by="bureau:twin_bureau")
                     for _ in range(2))
    one = _by_api(client, headers, first, world.ids["ent_xx"])
    assert one.status_code == 201, one.text
    listed = _by_list(client, headers, second, OTHER_CITY_FIRM)
    assert listed.status_code == 201, listed.text
    assert (_count(database_url, first), _count(database_url, second)) == (1, 1)
