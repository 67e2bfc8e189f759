"""Meeting scheduling for 供需对接 events: accepted requests → (slot, table).

Pure computation: plain dataclasses in, a `Schedule` out; no database, no HTTP.

Constraints
    * a scheduled meeting sits in one slot at one table; a table holds one meeting per slot;
    * a participant holds at most `representatives` meetings in one slot, only in the slots
      it is available for, and at most `max_meetings` meetings in all;
    * a request is scheduled at most once; pre-placed (published) meetings are kept as they are.

Objective (lexicographic)
    1. as many participants as possible with at least one meeting, then
    2. the largest total weight (必须见 and higher match scores weigh more).
    Both solvers optimise `weight + BONUS × covered participants` with integer weights and
    BONUS = (sum of all request weights) + 1: one more covered participant is then worth more
    than any amount of weight, which is exactly the lexicographic order.

Tables are identical, so the solvers only choose slots (at most `free tables` meetings per
slot); numbering tables afterwards loses nothing. Method: a fast greedy (first meetings for
the most constrained participants, then by weight, each in the least contended feasible slot,
then a one-step repair), then CP-SAT seeded with the greedy as a hint, keeping the better.
The LP relaxation of the slot-assignment model (GLOP) and CP-SAT's own bound give upper
bounds: see `matching.schedule.solver`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

WEIGHT_SCALE = 1000  # weights are floats; the solvers work on round(weight × WEIGHT_SCALE)


@dataclass(frozen=True)
class Slot:
    """One time slot; `session` groups slots (a morning, an afternoon)."""

    id: int
    session: int = 0
    label: str = ""


@dataclass(frozen=True)
class Participant:
    """An enterprise or a provider taking part; `available` None means every slot."""

    id: int
    side: str  # "enterprise" / "provider"
    representatives: int = 1
    available: frozenset[int] | None = None
    max_meetings: int | None = None
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or f"参会方{self.id}"


@dataclass(frozen=True)
class Request:
    """An accepted meeting request between participants `a` and `b`."""

    id: int
    a: int
    b: int
    weight: float = 1.0


@dataclass(frozen=True)
class Placement:
    """A scheduled meeting: the request, its slot and table; `fixed` ones are published."""

    request_id: int
    slot_id: int
    table: int
    fixed: bool = False


@dataclass(frozen=True)
class Problem:
    """An event to schedule: slots in order, `tables` tables numbered 1…tables."""

    slots: tuple[Slot, ...]
    tables: int
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]
    fixed: tuple[Placement, ...] = ()

    @cached_property
    def by_participant(self) -> dict[int, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def by_request(self) -> dict[int, Request]:
        return {r.id: r for r in self.requests}

    @cached_property
    def slot_ids(self) -> tuple[int, ...]:
        return tuple(s.id for s in self.slots)

    @cached_property
    def by_slot(self) -> dict[int, Slot]:
        return {s.id: s for s in self.slots}

    @cached_property
    def candidates(self) -> dict[int, tuple[int, ...]]:
        """Request id → the slots both sides are available for (fixed requests excluded)."""
        fixed = {f.request_id for f in self.fixed}
        people = self.by_participant
        out: dict[int, tuple[int, ...]] = {}
        for r in self.requests:
            if r.id in fixed or r.a == r.b or r.a not in people or r.b not in people:
                continue
            a, b = people[r.a], people[r.b]
            out[r.id] = tuple(
                s for s in self.slot_ids if _available(a, s) and _available(b, s)
            )
        return out

    @cached_property
    def scaled_weights(self) -> dict[int, int]:
        """Request id → integer weight (weight × WEIGHT_SCALE, rounded, ≥ 0)."""
        return {r.id: max(0, round(r.weight * WEIGHT_SCALE)) for r in self.requests}

    def scaled_weight(self, request_id: int) -> int:
        return self.scaled_weights[request_id]


def meeting_weight(*, must_meet: bool, match_score: float | None) -> float:
    """Weight of a request: 1 + match score (0…1, unknown = 0.5), doubled for 必须见."""
    score = 0.5 if match_score is None else min(1.0, max(0.0, match_score))
    return (1.0 + score) * (2.0 if must_meet else 1.0)


def _available(p: Participant, slot_id: int) -> bool:
    return p.available is None or slot_id in p.available


@dataclass
class Schedule:
    """The placements of a problem, by request id, and how they were found."""

    problem: Problem
    placements: dict[int, Placement]
    method: str = "greedy"
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def weight(self) -> float:
        reqs = self.problem.by_request
        return sum(reqs[rid].weight for rid in self.placements)

    @cached_property
    def occupant(self) -> dict[tuple[int, int], int]:
        """(slot, table) → request id."""
        return {(p.slot_id, p.table): rid for rid, p in self.placements.items()}

    @cached_property
    def busy(self) -> dict[tuple[int, int], list[int]]:
        """(participant, slot) → request ids of its meetings in that slot."""
        out: dict[tuple[int, int], list[int]] = defaultdict(list)
        reqs = self.problem.by_request
        for rid, p in self.placements.items():
            r = reqs[rid]
            out[(r.a, p.slot_id)].append(rid)
            out[(r.b, p.slot_id)].append(rid)
        return out

    @cached_property
    def meeting_counts(self) -> dict[int, int]:
        """Participant id → number of scheduled meetings."""
        counts: dict[int, int] = defaultdict(int)
        reqs = self.problem.by_request
        for rid in self.placements:
            counts[reqs[rid].a] += 1
            counts[reqs[rid].b] += 1
        return counts

    def without_meetings(self) -> list[Participant]:
        """Participants with no scheduled meeting (reminders go to them)."""
        counts = self.meeting_counts
        return [p for p in self.problem.participants if counts.get(p.id, 0) == 0]

    def placement_rows(self) -> list[tuple[int, int, int]]:
        """(request id, slot, table) of every placement, as the event's meetings are stored."""
        return [(p.request_id, p.slot_id, p.table) for p in self.placements.values()]


# --------------------------------------------------------------------------- editing


def validate_move(
    schedule: Schedule, meeting_id: int, new_slot: int, new_table: int
) -> list[str]:
    """Conflicts (in Chinese) of putting meeting `meeting_id` at (`new_slot`, `new_table`).

    A meeting is identified by its request id; an unscheduled request may be placed too
    (then the meeting caps are checked as well). O(1) after the schedule's first check.

    Args:
        schedule: the current schedule.
        meeting_id: the request id of the meeting to move (or to place).
        new_slot: the target slot id.
        new_table: the target table number (1…tables).
    Returns:
        The conflict reasons; empty when the move is allowed.
    """
    problem = schedule.problem
    request = problem.by_request.get(meeting_id)
    if request is None:
        return ["该约见不存在"]
    reasons: list[str] = []
    if new_slot not in problem.by_slot:
        reasons.append("该时段不存在")
    if not 1 <= new_table <= problem.tables:
        reasons.append(f"桌号应在 1–{problem.tables} 之间")
    if reasons:
        return reasons
    occupant = schedule.occupant.get((new_slot, new_table))
    if occupant is not None and occupant != meeting_id:
        reasons.append(f"{new_table}号桌该时段已有约见（{_pair_label(problem, occupant)}）")
    moving = meeting_id in schedule.placements
    for pid in (request.a, request.b):
        reasons.extend(_participant_conflicts(schedule, pid, meeting_id, new_slot, moving))
    return reasons


def _participant_conflicts(
    schedule: Schedule, pid: int, meeting_id: int, slot: int, moving: bool
) -> Iterable[str]:
    person = schedule.problem.by_participant[pid]
    if not _available(person, slot):
        yield f"{person.label}该时段不参会"
    others = [rid for rid in schedule.busy.get((pid, slot), ()) if rid != meeting_id]
    if len(others) >= person.representatives:
        yield f"{person.label}该时段已满（{person.representatives}位代表均有约见）"
    cap = person.max_meetings
    if not moving and cap is not None and schedule.meeting_counts.get(pid, 0) >= cap:
        yield f"{person.label}约见数已达上限（{cap}场）"


def _pair_label(problem: Problem, rid: int) -> str:
    r = problem.by_request[rid]
    people = problem.by_participant
    return f"{people[r.a].label} × {people[r.b].label}"


def validate_swap(schedule: Schedule, first: int, second: int) -> list[str]:
    """Conflicts (in Chinese) of swapping two scheduled meetings' slots and tables.

    Args:
        schedule: the current schedule.
        first, second: request ids of two scheduled meetings.
    Returns:
        The conflict reasons; empty when the swap is allowed.
    """
    here, there = schedule.placements.get(first), schedule.placements.get(second)
    if here is None or there is None or first == second:
        return ["请选择两场已排程的不同约见"]
    reasons: list[str] = []
    for rid, target, other in ((first, there.slot_id, second), (second, here.slot_id, first)):
        request = schedule.problem.by_request[rid]
        for pid in (request.a, request.b):
            person = schedule.problem.by_participant[pid]
            if not _available(person, target):
                reasons.append(f"{person.label}该时段不参会")
            staying = [x for x in schedule.busy.get((pid, target), ()) if x not in (rid, other)]
            if len(staying) >= person.representatives:
                reasons.append(f"{person.label}该时段已满（{person.representatives}位代表均有约见）")
    return reasons


def apply_move(schedule: Schedule, meeting_id: int, new_slot: int, new_table: int) -> Schedule:
    """A new schedule with the meeting moved (or placed); raises ValueError on a conflict."""
    reasons = validate_move(schedule, meeting_id, new_slot, new_table)
    if reasons:
        raise ValueError("；".join(reasons))
    placements = dict(schedule.placements)
    old = placements.get(meeting_id)
    fixed = old.fixed if old else False
    placements[meeting_id] = Placement(meeting_id, new_slot, new_table, fixed)
    return Schedule(schedule.problem, placements, "edited", dict(schedule.stats))


def unschedule(schedule: Schedule, meeting_id: int) -> Schedule:
    """A new schedule without the meeting (a cancellation frees its slot and table)."""
    placements = {rid: p for rid, p in schedule.placements.items() if rid != meeting_id}
    return Schedule(schedule.problem, placements, "edited", dict(schedule.stats))


def check(schedule: Schedule) -> list[str]:
    """Every broken constraint of a schedule, in Chinese (empty when the schedule is valid)."""
    problem = schedule.problem
    errors: list[str] = []
    if len(schedule.occupant) != len(schedule.placements):
        errors.append("同一桌同一时段安排了多场约见")
    for (pid, slot), rids in schedule.busy.items():
        person = problem.by_participant[pid]
        if len(rids) > person.representatives:
            errors.append(f"{person.label}在时段{slot}有{len(rids)}场约见，超过代表人数")
        if not _available(person, slot) and not all(_is_fixed(schedule, r) for r in rids):
            errors.append(f"{person.label}在不参会的时段{slot}被安排了约见")
    for pid, count in schedule.meeting_counts.items():
        cap = problem.by_participant[pid].max_meetings
        if cap is not None and count > cap:
            errors.append(f"{problem.by_participant[pid].label}约见{count}场，超过上限{cap}场")
    for p in schedule.placements.values():
        if p.slot_id not in problem.by_slot or not 1 <= p.table <= problem.tables:
            errors.append(f"约见{p.request_id}的时段或桌号无效")
    return errors


def _is_fixed(schedule: Schedule, rid: int) -> bool:
    return schedule.placements[rid].fixed


@dataclass(frozen=True)
class CellOption:
    """What dropping a meeting on one grid cell would do: `action` is "here" (it is there
    already), "move" (an empty cell) or "swap" (another meeting's cell); `conflicts` are the
    reasons it is refused, empty when it is allowed."""

    slot_id: int
    table: int
    action: str
    conflicts: tuple[str, ...]
    occupant: int | None = None


def cell_options(schedule: Schedule, meeting_id: int) -> list[CellOption]:
    """Every (slot, table) cell of the grid for meeting `meeting_id` (a request id): whether
    it may go there, by a move or a swap, and why not — for the editing grid to show the
    conflicts before an edit is made."""
    problem = schedule.problem
    placed = schedule.placements.get(meeting_id)
    out: list[CellOption] = []
    for slot in problem.slots:
        for table in range(1, problem.tables + 1):
            occupant = schedule.occupant.get((slot.id, table))
            if occupant == meeting_id:
                out.append(CellOption(slot.id, table, "here", (), occupant))
            elif occupant is None:
                out.append(CellOption(slot.id, table, "move",
                                      tuple(validate_move(schedule, meeting_id, slot.id, table))))
            else:
                reasons = (validate_swap(schedule, meeting_id, occupant) if placed is not None
                           else [f"{table}号桌该时段已有约见（{_pair_label(problem, occupant)}）"])
                out.append(CellOption(slot.id, table, "swap", tuple(reasons), occupant))
    return out
