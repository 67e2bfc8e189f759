"""Running the scheduler over stored events: stored meetings, re-runs, grid checks, the CLI."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from sqlmodel import Session
from typer.testing import CliRunner
from web_builders import JIUJIANG, enterprise, provider

from catalog import event_meetings, event_service
from catalog.errors import Conflict
from catalog.event_models import Event, EventCreate, EventStatus, ParticipantCreate
from market import event_scheduling
from market.cli import app
from market.settings import get_settings
from matching.schedule import validate_swap

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3},
            {"name": "下午", "start": "14:00", "slot_minutes": 20, "slots": 3}]


def build_event(session: Session, *, seed: int = 1, firms: int = 8, sellers: int = 3) -> Event:
    """A random small event with accepted requests, ready to schedule (约见中)."""
    rng = random.Random(seed)
    data = EventCreate(title="生成的对接会", region=JIUJIANG, sessions=SESSIONS, tables=2,
                       max_meetings_enterprise=2, auto_accept=True)
    event = event_service.create_event(session=session, data=data, actor="局")
    event_service.change_event_status(session=session, event=event,
                                      status=EventStatus.REGISTRATION, actor="局")
    people = []
    for i in range(sellers):
        record = provider(session, f"九江第{seed}{i}服务商有限公司", f"{JIUJIANG}濂溪区")
        people.append(ParticipantCreate(provider_id=record.id, representatives=1 + (i == 0)))
    for i in range(firms):
        record = enterprise(session, f"九江第{seed}{i}制造有限公司", f"{JIUJIANG}湖口县")
        people.append(ParticipantCreate(enterprise_id=record.id,
                                        sessions=rng.choice([[0], [1], None, None])))
    joined = [event_service.validate_participant(
        session=session, actor="局",
        participant=event_service.register(session=session, event=event, data=p, actor="报名"))
        for p in people]
    for firm in joined[sellers:]:
        for seller in rng.sample(joined[:sellers], 2):
            try:
                event_service.send_request(session=session, event=event, sender=firm,
                                           receiver=seller, actor="企业",
                                           preference=rng.choice(["必须见", "希望见"]),
                                           score=rng.random())
            except Conflict:
                pass  # no common session, or already full: refused at request time
    event_service.change_event_status(session=session, event=event, status=EventStatus.REQUESTS,
                                      actor="局")
    return event


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
    request = event_service.get_request(session=session, request_id=first.request_id)
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
