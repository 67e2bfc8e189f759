"""Generated events for the tests: a random small event with accepted requests."""

from __future__ import annotations

import random

from sqlmodel import Session
from web_builders import JIUJIANG, enterprise, provider

from catalog.errors import Conflict
from catalog.events import service as event_service
from catalog.events.models import Event, EventCreate, EventStatus, ParticipantCreate

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3},
            {"name": "下午", "start": "14:00", "slot_minutes": 20, "slots": 3}]


def build_event(session: Session, *, seed: int = 1, firms: int = 8, sellers: int = 3) -> Event:
    """A random small event with accepted requests, ready to schedule (约见中)."""
    rng = random.Random(seed)
    data = EventCreate(title="生成的对接会", region=JIUJIANG, sessions=SESSIONS, tables=2,
                       max_meetings_enterprise=2, auto_accept=True)
    event = event_service.create_event(session=session, data=data, user=None, actor="局")
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
        session=session, event=event, actor="局",
        participant_id=event_service.register(session=session, event=event, data=p, actor="报名").id or 0)
        for p in people]
    for firm in joined[sellers:]:
        for seller in rng.sample(joined[:sellers], 2):
            preference, score = rng.choice(["必须见", "希望见"]), rng.random()
            try:
                event_service.send_request(session=session, event=event, sender=firm,
                                           receiver=seller, actor="企业", preference=preference,
                                           match_score=lambda *_, score=score: score)
            except Conflict:
                pass  # no common session, or already full: refused at request time
    event_service.change_event_status(session=session, event=event, status=EventStatus.REQUESTS,
                                      actor="局")
    return event
