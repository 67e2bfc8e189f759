"""The pilot's seeded history (seed/history.py): every stage in every demo city, past events
with schedules, no-shows and outcomes, dates inside the last 18 months of `today`, the same
records on every load, and the audit log chained over all of it."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlmodel import Session, col, select

from catalog.audit import service as audit
from catalog.db import get_engine, session_scope
from catalog.engagements.models import Engagement, EngagementStatus
from catalog.enterprises.models import Enterprise
from catalog.events.models import Event, EventStatus, Meeting, Outcome
from catalog.progress.models import AcceptanceRecord, TargetRow
from seed.history import WINDOW_DAYS, load_history
from seed.history_base import CITIES

TODAY = date(2027, 3, 15)


def _load(url: str, today: date = TODAY) -> None:
    with session_scope(url) as session:
        load_history(session=session, today=today)


def _stages(session: Session, region: str) -> Counter[str]:
    rows = session.exec(select(Engagement.status).join(Enterprise, col(Enterprise.id) == Engagement.enterprise_id)
                        .where(col(Enterprise.region).startswith(region))).all()
    return Counter(rows)


def test_every_city_has_every_stage_and_two_past_events(demo_database_url: str) -> None:
    _load(demo_database_url)
    with Session(get_engine(demo_database_url)) as session:
        for city in CITIES:
            assert set(_stages(session, city.region)) == {s.value for s in EngagementStatus}, city.name
            held = session.exec(select(Event).where(Event.region == city.region,
                                                    Event.status == EventStatus.CLOSED.value)).all()
            assert len(held) == 2 and all(e.day and e.day < TODAY - timedelta(days=60) for e in held)
            outcomes = Counter(o for e in held for m in session.exec(select(Meeting).where(Meeting.event_id == e.id))
                               for o in (m.enterprise_outcome, m.provider_outcome))
            assert outcomes[Outcome.NO_SHOW] and outcomes[Outcome.INTENT] and outcomes[Outcome.SIGNED], city.name
            assert {r.year for r in session.exec(select(TargetRow).where(TargetRow.region == city.region))} >= {
                TODAY.year - 1, TODAY.year}
        accepted = session.exec(select(Engagement).where(Engagement.status == EngagementStatus.ACCEPTED.value)).all()
        assert all(g.level_after and g.acceptance_date for g in accepted)
        assert sum(1 for g in accepted if g.rating) > len(accepted) / 2
        assert len(session.exec(select(AcceptanceRecord)).all()) > len(accepted)  # some await confirmation
        terminated = session.exec(select(Engagement).where(Engagement.status == EngagementStatus.TERMINATED.value))
        assert all(g.termination_reason for g in terminated)
        dates = [d for g in session.exec(select(Engagement)).all() for d in (g.contract_date, g.acceptance_date) if d]
        assert min(dates) >= TODAY - timedelta(days=WINDOW_DAYS) and max(dates) < TODAY
        assert audit.verify(session=session).ok


def _fingerprint(url: str) -> list[tuple[object, ...]]:
    with Session(get_engine(url)) as session:
        return [(g.enterprise_id, g.solution_id, g.status, g.contract_date, g.contract_amount_wan, g.rating)
                for g in session.exec(select(Engagement).order_by(col(Engagement.id))).all()]


def test_the_history_is_the_same_on_every_load_and_loaded_once(demo_database_url: str) -> None:
    _load(demo_database_url)
    first = _fingerprint(demo_database_url)
    _load(demo_database_url)  # a second `market seed`: nothing added
    assert _fingerprint(demo_database_url) == first
    assert first and len(first) == len({(e, s) for e, s, *_ in first})


def test_dates_follow_today(demo_database_url: str) -> None:
    later = TODAY + timedelta(days=400)
    _load(demo_database_url, today=later)
    with Session(get_engine(demo_database_url)) as session:
        days = [e.day for e in session.exec(select(Event)).all() if e.day]
    assert min(days) > later - timedelta(days=WINDOW_DAYS) and max(days) > later
