"""Grid-editing benchmark: how long the server takes to check one edit of a stored schedule.

The event of bench/schedule.py (300 enterprises, 80 providers, 12 slots, 40 tables, 2,000
accepted requests) is stored in a fresh SQLite database and scheduled; then random edits
are checked the way the API does it — `check_move` (one cell, POST …/meetings/check) and
`move_options` (every cell for one meeting, GET …/meetings/options) — each loading the
stored schedule from the database. Prints the timings (target: each ≤ 200 ms); asserts
nothing.

    .venv/bin/python bench/grid_edit.py [--checks 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from schedule import generate  # noqa: E402
from sqlmodel import Session  # noqa: E402

from catalog.db import get_engine  # noqa: E402
from catalog.enterprises.models import Enterprise  # noqa: E402
from catalog.events.models import Event, EventParticipant, MeetingRequest  # noqa: E402
from catalog.language.text import company_key  # noqa: E402
from catalog.providers.models import Provider  # noqa: E402
from catalog.validation import make_uscc  # noqa: E402
from market.database import migrate  # noqa: E402
from market.events import scheduling as event_scheduling  # noqa: E402

REGION = "江西省九江市"
SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 6},
            {"name": "下午", "start": "14:00", "slot_minutes": 20, "slots": 6}]


def store_event(session: Session, seed: int) -> Event:
    """The generated event as records: organisations, participants, accepted requests."""
    problem = generate(seed=seed)
    event = Event(title="基准对接会", region=REGION, sessions=SESSIONS, tables=problem.tables,
                  status="约见中", max_meetings_enterprise=6, max_meetings_provider=24)
    session.add(event)
    session.flush()
    ids: dict[int, int] = {}
    for person in problem.participants:
        name = f"基准{person.label}有限公司"
        if person.side == "enterprise":
            org: Enterprise | Provider = Enterprise(uscc=make_uscc(name), name=name, name_key=company_key(name),
                                                    region=REGION, industry="C261", size="规上")
        else:
            org = Provider(uscc=make_uscc(name), name=name, name_key=company_key(name), kind="专业服务商",
                           region=REGION, status="已入库")
        session.add(org)
        session.flush()
        sessions = sorted({0 if slot <= 6 else 1 for slot in person.available}) if person.available else [0, 1]
        row = EventParticipant(event_id=event.id or 0, side=person.side, sessions=sessions,
                               representatives=person.representatives, validated=True,
                               enterprise_id=org.id if person.side == "enterprise" else None,
                               provider_id=org.id if person.side == "provider" else None)
        session.add(row)
        session.flush()
        ids[person.id] = row.id or 0
    for request in problem.requests:
        session.add(MeetingRequest(event_id=event.id or 0, from_id=ids[request.a], to_id=ids[request.b],
                                   status="已接受", score=min(1.0, request.weight / 4)))
    session.flush()
    return event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="szt-grid-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'grid.db'}"
        migrate(url)
        with Session(get_engine(url), expire_on_commit=False) as session:
            event = store_event(session, args.seed)
            started = time.perf_counter()
            schedule = event_scheduling.run_schedule(session=session, event=event, actor="bench", time_limit_s=10)
            session.commit()
            print(f"stored event: {len(schedule.problem.participants)} participants, "
                  f"{len(schedule.problem.requests)} accepted requests, {len(schedule.placements)} meetings "
                  f"scheduled and stored in {time.perf_counter() - started:.1f} s")
            placed = list(schedule.placements)
            slots = [s.id for s in schedule.problem.slots]
            one, every = [], []
            for _ in range(args.checks):
                rid = rng.choice(placed)
                t0 = time.perf_counter()
                event_scheduling.check_move(session=session, event=event, request_id=rid,
                                            slot=rng.choice(slots), table=rng.randint(1, event.tables))
                one.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                cells = event_scheduling.move_options(session=session, event=event, request_id=rid)
                every.append((time.perf_counter() - t0) * 1000)
            for label, values in (("check one cell (POST …/meetings/check)", one),
                                  (f"every cell, {len(cells)} (GET …/meetings/options)", every)):
                values.sort()
                print(f"{label}: p50 {statistics.median(values):.1f} ms, "
                      f"p95 {values[int(0.95 * (len(values) - 1))]:.1f} ms, max {values[-1]:.1f} ms  (target ≤ 200 ms)")


if __name__ == "__main__":
    main()
