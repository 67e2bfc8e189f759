"""The scheduler's view of an event: the plain records catalog.events.meetings.schedule_inputs
reads (time slots, tables, validated participants, accepted requests, published meetings) as a
`Problem`, and the scheduler that catalog.events.meetings.run_schedule is handed. Pure: no session."""

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
)
from matching.schedule.solver import solve

if TYPE_CHECKING:
    from catalog.events.meetings import ScheduleInputs


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
