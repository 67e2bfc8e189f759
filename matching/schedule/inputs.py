"""The scheduler's view of an event: the plain records catalog.events.meetings.schedule_inputs
reads (time slots, tables, validated participants, accepted requests, published meetings) as a
`Problem`, with its stored meetings (catalog.events.meetings.meeting_places) as a `Schedule`; the
scheduler that catalog.events.meetings.run_schedule is handed, and the check of a grid edit that
catalog.events.meetings.place_meeting and swap_meetings are. Pure: no session."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from matching.schedule.problem import (
    Participant,
    Placement,
    Problem,
    Request,
    Schedule,
    Slot,
    meeting_weight,
    validate_move,
    validate_swap,
)
from matching.schedule.solver import solve

if TYPE_CHECKING:
    from catalog.events.meetings import MeetingPlace, ScheduleInputs


def problem_of(inputs: ScheduleInputs) -> Problem:
    """The scheduler's view of an event."""
    slots = tuple(Slot(s.id, s.session, s.label) for s in inputs.slots)
    people = tuple(
        Participant(p.id, p.side, p.representatives, p.slots, p.cap, p.name)
        for p in inputs.participants
    )
    requests = tuple(
        Request(r.id, r.a, r.b, meeting_weight(must_meet=r.must_meet, match_score=r.score))
        for r in inputs.requests
    )
    known = {r.id for r in requests}
    fixed = tuple(Placement(rid, slot, table, True) for rid, slot, table in inputs.fixed
                  if rid in known)
    return Problem(slots, inputs.tables, people, requests, fixed)


def planner(*, time_limit_s: float = 10.0, exact: bool = True) -> Callable[[ScheduleInputs], Schedule]:
    """The scheduler for catalog.events.meetings.run_schedule: published meetings stay, the
    accepted requests are placed around them; `exact=False` keeps the greedy start (no CP-SAT:
    quick and the same on every run)."""

    def plan(inputs: ScheduleInputs) -> Schedule:
        return solve(problem_of(inputs), time_limit_s=time_limit_s, workers=2, use_cp_sat=exact)

    return plan


def stored_schedule(inputs: ScheduleInputs, places: list[MeetingPlace]) -> Schedule:
    """An event's stored meetings as a `Schedule` of its problem, for checking an edit.

    Args:
        inputs: the event's plain records (catalog.events.meetings.schedule_inputs).
        places: where its stored meetings are (catalog.events.meetings.meeting_places).
    Returns:
        The schedule; a meeting whose request is no longer schedulable (not accepted, or a
        participant no longer validated) is left out.
    """
    problem = problem_of(inputs)
    placements = {m.request_id: Placement(m.request_id, m.slot, m.table_no, m.published)
                  for m in places if m.request_id in problem.by_request}
    return Schedule(problem, placements, "stored")


class GridCheck:
    """The conflicts of a grid edit against the stored schedule (catalog.events.meetings.GridCheck)."""

    def move(self, inputs: ScheduleInputs, places: list[MeetingPlace], request_id: int, slot: int,
             table: int) -> list[str]:
        """`validate_move` of a request's meeting put at (slot, table)."""
        return validate_move(stored_schedule(inputs, places), request_id, slot, table)

    def swap(self, inputs: ScheduleInputs, places: list[MeetingPlace], first: int, second: int) -> list[str]:
        """`validate_swap` of two meetings (by request id)."""
        return validate_swap(stored_schedule(inputs, places), first, second)


GRID_CHECK = GridCheck()
