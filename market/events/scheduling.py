"""Glue between event records (catalog/events/) and the pure scheduler (matching/schedule/).

`catalog` may not import `matching`: catalog.events.meetings.run_schedule is handed the scheduler
here (matching.schedule.inputs.planner), and its grid edits the check of their conflicts
(matching.schedule.inputs.GRID_CHECK), which catalog refuses an edit by; the writes and the
refusals stay in catalog.events.meetings.
"""

from __future__ import annotations

from sqlmodel import Session

from catalog.errors import Conflict
from catalog.events import meetings as event_meetings
from catalog.events.models import Event, Meeting, MeetingRequest
from matching.schedule.inputs import GRID_CHECK, planner, stored_schedule
from matching.schedule.problem import Schedule, cell_options


def run_schedule(*, session: Session, event: Event, actor: str,
                 time_limit_s: float | None = None, exact: bool = True) -> Schedule:
    """Schedule the accepted requests and store the result (catalog.events.meetings.run_schedule)
    with the matcher's scheduler, searching as long as catalog.events.meetings.schedule_time_limit
    allows (none given: its default); `exact=False` keeps the greedy start."""
    limit = event_meetings.schedule_time_limit(time_limit_s)
    return event_meetings.run_schedule(session=session, event=event, actor=actor,
                                       plan=planner(time_limit_s=limit, exact=exact))


def current_schedule(*, session: Session, event: Event,
                     places: list[event_meetings.MeetingPlace] | None = None) -> Schedule:
    """The stored meetings of an event as a scheduler `Schedule` (for the grid's options);
    `places` when the caller has already read them."""
    if places is None:
        places = event_meetings.meeting_places(session=session, event_id=event.id or 0)
    return stored_schedule(event_meetings.schedule_inputs(session=session, event=event), places)


def check_move(*, session: Session, event: Event, request_id: int, slot: int,
               table: int) -> list[str]:
    """Conflicts (in Chinese) of putting a request's meeting at (slot, table)."""
    return event_meetings.move_conflicts(session=session, event=event, request_id=request_id,
                                         slot=slot, table=table, check=GRID_CHECK)


def move_meeting(*, session: Session, event: Event, request: MeetingRequest, slot: int,
                 table: int, actor: str) -> Meeting:
    """Move (or place) a meeting, checked by the scheduler (Conflict lists every reason)."""
    return event_meetings.place_meeting(session=session, event=event, request=request,
                                        slot=slot, table=table, actor=actor, check=GRID_CHECK)


def swap_meetings(*, session: Session, event: Event, first: Meeting, second: Meeting,
                  actor: str) -> None:
    """Swap two meetings, checked by the scheduler (Conflict lists every reason)."""
    event_meetings.swap_meetings(session=session, event=event, first=first, second=second,
                                 actor=actor, check=GRID_CHECK)


def move_options(*, session: Session, event: Event, request_id: int) -> list[dict[str, object]]:
    """For the editing grid: every (slot, table) cell for a meeting (by request id), with
    what dropping it there does (move or swap, with which meeting) and every conflict, so the
    conflicts are on screen before an edit is made."""
    places = event_meetings.meeting_places(session=session, event_id=event.id or 0)
    schedule = current_schedule(session=session, event=event, places=places)
    if request_id not in schedule.problem.by_request:
        raise Conflict("只有已接受的约见可以排入日程", code="not_schedulable")
    meeting_of = {m.request_id: m.id for m in places}
    return [
        {"slot": option.slot_id, "table": option.table, "action": option.action,
         "ok": not option.conflicts, "conflicts": list(option.conflicts),
         "occupant_meeting_id": meeting_of.get(option.occupant) if option.occupant else None}
        for option in cell_options(schedule, request_id)
    ]
