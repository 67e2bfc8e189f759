"""Running the scheduler over stored events: stored meetings, re-runs, grid checks, the CLI."""

from __future__ import annotations

from collections import Counter

import pytest
from event_builders import build_event
from sqlmodel import Session
from typer.testing import CliRunner

from catalog.errors import Conflict, InvalidTransition
from catalog.events import meetings as event_meetings
from catalog.events import service as event_service
from catalog.events.models import EventStatus
from market.cli import app
from market.events import scheduling as event_scheduling
from market.settings import get_settings
from matching.schedule.inputs import planner
from matching.schedule.problem import validate_swap


@pytest.mark.parametrize("seed", [1, 2])
def test_stored_schedule_has_no_double_booking(session: Session, seed: int) -> None:
    event = build_event(session, seed=seed)
    schedule = event_scheduling.run_schedule(session=session, event=event, actor="局",
                                             time_limit_s=2)
    session.commit()
    stored = event_meetings.meetings(session=session, event_id=event.id)
    assert len(stored) == len(schedule.placements) > 0
    assert max(Counter((m.slot, m.table_no) for m in stored).values()) == 1
    inputs = event_meetings.schedule_inputs(session=session, event=event)
    reps = {p.id: p.representatives for p in inputs.participants}
    slots_of = {p.id: p.slots for p in inputs.participants}
    pair = {r.id: (r.a, r.b) for r in inputs.requests}
    busy: Counter[tuple[int, int]] = Counter()
    for m in stored:
        for pid in pair[m.request_id]:
            busy[(pid, m.slot)] += 1
            assert m.slot in slots_of[pid]
    assert all(n <= reps[pid] for (pid, _), n in busy.items())
    assert event_scheduling.current_schedule(session=session, event=event).without_meetings() == []


def test_second_run_keeps_published_and_cancellation_frees_the_slot(session: Session) -> None:
    event = build_event(session, seed=3)
    event_scheduling.run_schedule(session=session, event=event, actor="局", time_limit_s=2)
    event_service.publish_schedule(session=session, event=event, actor="局")
    before = {m.request_id: (m.slot, m.table_no) for m in
              event_meetings.meetings(session=session, event_id=event.id)}
    victim = event_meetings.meetings(session=session, event_id=event.id)[0]
    spot = (victim.slot, victim.table_no)
    event_meetings.unschedule_meeting(session=session, meeting=victim, actor="局", cancel=True)
    others = [rid for rid in before if rid != victim.request_id]
    assert any(event_scheduling.check_move(session=session, event=event, request_id=rid,
                                           slot=spot[0], table=spot[1]) == [] for rid in others)
    event_scheduling.run_schedule(session=session, event=event, actor="局", time_limit_s=2)
    after = {m.request_id: (m.slot, m.table_no) for m in
             event_meetings.meetings(session=session, event_id=event.id)}
    assert victim.request_id not in after
    assert all(after[rid] == before[rid] for rid in others)


def test_moves_are_checked_before_they_are_made(session: Session) -> None:
    event = build_event(session, seed=4)
    event_scheduling.run_schedule(session=session, event=event, actor="局", time_limit_s=2)
    first, second = event_meetings.meetings(session=session, event_id=event.id)[:2]
    reasons = event_scheduling.check_move(session=session, event=event,
                                          request_id=first.request_id, slot=second.slot,
                                          table=second.table_no)
    assert any("号桌该时段已有约见" in r for r in reasons)
    request = event_service.request_of(session=session, event=event, request_id=first.request_id)
    with pytest.raises(Conflict, match="已有约见"):
        event_scheduling.move_meeting(session=session, event=event, request=request,
                                      slot=second.slot, table=second.table_no, actor="局")


def test_cli_schedules_an_event(database_url: str, session: Session,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    event = build_event(session, seed=5)
    session.commit()
    monkeypatch.setenv("MARKET_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["events", "schedule", str(event.id), "--time-limit", "2"])
        missing = CliRunner().invoke(app, ["events", "schedule", "999"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "已排" in result.output and "上界" in result.output
    assert missing.exit_code == 1 and "未找到编号为 999 的对接活动" in missing.output
    session.expire_all()
    assert event_meetings.meetings(session=session, event_id=event.id)


def test_swaps_are_checked_then_exchange_places(session: Session) -> None:
    event = build_event(session, seed=6, firms=10)
    event_scheduling.run_schedule(session=session, event=event, actor="局", time_limit_s=2)
    stored = event_meetings.meetings(session=session, event_id=event.id)
    schedule = event_scheduling.current_schedule(session=session, event=event)
    pairs = [(a, b) for a in stored for b in stored if a.id < b.id and a.slot != b.slot]
    fine = [(a, b) for a, b in pairs if not validate_swap(schedule, a.request_id, b.request_id)]
    bad = [(a, b) for a, b in pairs if validate_swap(schedule, a.request_id, b.request_id)]
    assert fine and bad
    a, b = fine[0]
    spots = (a.slot, a.table_no), (b.slot, b.table_no)
    event_scheduling.swap_meetings(session=session, event=event, first=a, second=b, actor="局")
    assert ((a.slot, a.table_no), (b.slot, b.table_no)) == (spots[1], spots[0])
    c, d = bad[0]
    with pytest.raises(Conflict, match="该时段"):
        event_scheduling.swap_meetings(session=session, event=event, first=c, second=d, actor="局")


def test_cli_lists_events_in_the_order_of_the_lists(database_url: str, session: Session,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from catalog.events import queries as event_views
    from catalog.events.models import Event

    for title, day in (("旧的对接会", date(2026, 3, 1)), ("待定对接会", None), ("新的对接会", date(2026, 11, 1))):
        session.add(Event(title=title, region="江西省九江市", day=day))
    session.commit()
    monkeypatch.setenv("MARKET_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["events", "list"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    shown = sorted(("旧的对接会", "待定对接会", "新的对接会"), key=result.output.index)
    assert shown == ["待定对接会", "新的对接会", "旧的对接会"]
    assert [e.title for e in event_views.all_events(session=session)] == shown


def test_the_schedule_is_run_and_stored_by_the_event_service_whoever_calls_it(session: Session) -> None:
    """catalog.events.meetings.run_schedule, handed the matcher's planner, is what the API, the
    pages, the command line (through market.events.scheduling) and the demo data all run."""
    event = build_event(session, seed=4)
    planned = event_meetings.run_schedule(session=session, event=event, actor="局", plan=planner(exact=False))
    stored = {(m.request_id, m.slot, m.table_no) for m in event_meetings.meetings(session=session, event_id=event.id)}
    assert stored == set(planned.placement_rows()) and stored
    again = event_scheduling.run_schedule(session=session, event=event, actor="局", exact=False)
    assert set(again.placement_rows()) == stored  # the greedy start is the same on every run


def test_an_event_still_taking_registrations_is_not_scheduled(session: Session) -> None:
    event = build_event(session, seed=5)
    event.status = EventStatus.REGISTRATION.value
    with pytest.raises(InvalidTransition, match="不能排程"):
        event_meetings.run_schedule(session=session, event=event, actor="局", plan=planner(exact=False))
    assert event_meetings.meetings(session=session, event_id=event.id) == []
