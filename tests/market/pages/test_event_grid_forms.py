"""The schedule grid's form fallbacks (swap, take off, cancel) on the event page, and the
grid the bureau sees."""

from __future__ import annotations

import io

from event_builders import build_event
from fastapi.testclient import TestClient
from openpyxl import Workbook
from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session
from web_builders import JIUJIANG

from catalog.db import get_engine
from catalog.events import meetings as event_meetings
from catalog.events import service as event_service
from catalog.events.models import EventCreate, EventStatus
from market.events import scheduling as event_scheduling
from matching.schedule.problem import validate_swap


def _scheduled_event(database_url: str) -> tuple[int, list[tuple[int, int, int]], list[tuple[int, int]]]:
    """An event with a stored schedule: (event id, (request, slot, table) of each meeting,
    pairs of request ids that may swap and pairs that may not)."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        event = build_event(session, seed=6, firms=10)
        event_scheduling.run_schedule(session=session, event=event, actor="局", time_limit_s=2)
        session.commit()
        stored = event_meetings.meetings(session=session, event_id=event.id)
        schedule = event_scheduling.current_schedule(session=session, event=event)
        places = [(m.request_id, m.slot, m.table_no) for m in stored]
        pairs = [(a.request_id, b.request_id) for a in stored for b in stored if a.slot < b.slot]
        fine = [p for p in pairs if not validate_swap(schedule, *p)]
        bad = [p for p in pairs if validate_swap(schedule, *p)]
        return event.id or 0, places, [fine[0], bad[0]]


def _places(database_url: str, event_id: int) -> dict[int, tuple[int, int]]:
    with Session(get_engine(database_url)) as session:
        return {m.request_id: (m.slot, m.table_no) for m in event_meetings.meetings(session=session, event_id=event_id)}


def test_bureau_swaps_and_takes_meetings_off_the_grid_by_form(page_client: TestClient, database_url: str) -> None:
    event_id, places, (fine, bad) = _scheduled_event(database_url)
    url = f"/events/{event_id}"
    login(page_client, "jj_bureau")
    page = page_client.get(url, headers=HTML).text
    assert 'id="grid" data-event=' in page and "/static/event_grid.js" in page
    assert page.count('class="meeting" data-request=') == len(places)

    before = _places(database_url, event_id)
    post_form(page_client, f"{url}/swap", {"first": str(fine[0]), "second": str(fine[1])}, page=url)
    assert "已交换两场约见" in flashes(page_client, url)
    after = _places(database_url, event_id)
    assert (after[fine[0]], after[fine[1]]) == (before[fine[1]], before[fine[0]])

    post_form(page_client, f"{url}/swap", {"first": str(bad[0]), "second": str(bad[1])}, page=url)
    assert "该时段" in flashes(page_client, url)
    assert _places(database_url, event_id) == after  # nothing changed

    post_form(page_client, f"{url}/unschedule", {"request_id": str(fine[0]), "cancel": "1"}, page=url)
    assert "已取消该约见" in flashes(page_client, url)
    assert fine[0] not in _places(database_url, event_id)
    post_form(page_client, f"{url}/unschedule", {"request_id": "999999"}, page=url)
    assert "不在日程中" in flashes(page_client, url)


def test_only_the_bureau_edits_the_grid(page_client: TestClient, database_url: str) -> None:
    event_id, places, (fine, _) = _scheduled_event(database_url)
    login(page_client, "provider_a")
    response = post_form(page_client, f"/events/{event_id}/unschedule", {"request_id": str(fine[0])},
                         page="/events")
    assert response.status_code in (403, 404)
    assert fine[0] in _places(database_url, event_id)


def test_bureau_imports_a_participant_list_from_the_event_page(page_client: TestClient, database_url: str) -> None:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        event = event_service.create_event(session=session, user=None, actor="局", data=EventCreate(
            title="名单导入测试", region=JIUJIANG,
            sessions=[{"name": "上午", "start": "09:00", "slots": 3}]))
        event_service.change_event_status(session=session, event=event, status=EventStatus.REGISTRATION,
                                          actor="局")
        session.commit()
    url = f"/events/{event.id}"
    login(page_client, "jj_bureau")
    assert 'id="roster-form"' in page_client.get(url, headers=HTML).text
    files = {"file": ("名单.xlsx", _roster([["九江云联设备科技有限公司", 2], ["不存在的有限公司", 1]]),
                      "application/octet-stream")}
    post_form(page_client, f"{url}/participants/import", page=url, files=files)
    shown = flashes(page_client, url)
    assert "导入被拒绝" in shown and "第 3 行" in shown and "平台中没有该企业或服务商" in shown
    files = {"file": ("名单.xlsx", _roster([["九江云联设备科技有限公司", 2]]), "application/octet-stream")}
    post_form(page_client, f"{url}/participants/import", page=url, files=files)
    assert "已导入 1 个参会方" in flashes(page_client, url)
    assert "九江云联设备科技有限公司" in page_client.get(url, headers=HTML).text


def _roster(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["单位名称", "代表人数"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
