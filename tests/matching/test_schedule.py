"""The meeting scheduler on small generated events: feasibility, coverage, editing."""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from matching.schedule.greedy import greedy
from matching.schedule.problem import (
    Participant,
    Placement,
    Problem,
    Request,
    Schedule,
    Slot,
    apply_move,
    cell_options,
    check,
    meeting_weight,
    unschedule,
    validate_move,
    validate_swap,
)
from matching.schedule.solver import coverable, cp_sat, lp_bound, solve

SLOW = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def events(draw: st.DrawFn) -> Problem:
    """A small random event: 2–5 slots, 1–4 tables, 3–9 participants, up to 18 requests."""
    n_slots = draw(st.integers(2, 5))
    slots = tuple(Slot(i + 1, session=1 + i // 3) for i in range(n_slots))
    ids = [s.id for s in slots]
    people = []
    for pid in range(1, draw(st.integers(3, 9)) + 1):
        avail = draw(st.none() | st.frozensets(st.sampled_from(ids), min_size=1))
        people.append(Participant(
            pid,
            draw(st.sampled_from(["enterprise", "provider"])),
            draw(st.integers(1, 2)),
            avail,
            draw(st.none() | st.integers(1, 4)),
        ))
    pairs = list(itertools.combinations(range(1, len(people) + 1), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=18))
    requests = tuple(
        Request(i + 1, a, b, draw(st.floats(0.5, 4.0))) for i, (a, b) in enumerate(chosen)
    )
    return Problem(slots, draw(st.integers(1, 4)), tuple(people), requests)


def violations(schedule: Schedule) -> list[str]:
    """An independent check of every hard constraint (not the module's own `check`)."""
    problem = schedule.problem
    people = {p.id: p for p in problem.participants}
    requests = {r.id: r for r in problem.requests}
    found = []
    cells = Counter((p.slot_id, p.table) for p in schedule.placements.values())
    found += [f"table {cell} double-booked" for cell, n in cells.items() if n > 1]
    per_slot: Counter[tuple[int, int]] = Counter()
    per_person: Counter[int] = Counter()
    for rid, place in schedule.placements.items():
        assert rid == place.request_id
        assert 1 <= place.table <= problem.tables
        r = requests[rid]
        for pid in (r.a, r.b):
            per_slot[(pid, place.slot_id)] += 1
            per_person[pid] += 1
            avail = people[pid].available
            if avail is not None and place.slot_id not in avail and not place.fixed:
                found.append(f"{pid} unavailable in {place.slot_id}")
    found += [f"{k} over reps" for k, n in per_slot.items() if n > people[k[0]].representatives]
    found += [
        f"{pid} over cap"
        for pid, n in per_person.items()
        if people[pid].max_meetings is not None and n > people[pid].max_meetings
    ]
    return found


def full_cover_feasible(problem: Problem) -> bool:
    """Exact answer by a separate CP-SAT model with explicit tables: can everyone meet once?"""
    model = cp_model.CpModel()
    x = {}
    people = {p.id: p for p in problem.participants}
    ok = lambda pid, s: people[pid].available is None or s in people[pid].available  # noqa: E731
    for r in problem.requests:
        for s in problem.slots:
            if ok(r.a, s.id) and ok(r.b, s.id):
                for t in range(1, problem.tables + 1):
                    x[(r.id, s.id, t)] = model.new_bool_var("")
    for r in problem.requests:
        model.add(sum(v for k, v in x.items() if k[0] == r.id) <= 1)
    for s, t in itertools.product(problem.slots, range(1, problem.tables + 1)):
        model.add(sum(v for k, v in x.items() if k[1] == s.id and k[2] == t) <= 1)
    reqs = {r.id: r for r in problem.requests}
    for p in problem.participants:
        mine = {k: v for k, v in x.items() if p.id in (reqs[k[0]].a, reqs[k[0]].b)}
        for s in problem.slots:
            model.add(sum(v for k, v in mine.items() if k[1] == s.id) <= p.representatives)
        if p.max_meetings is not None:
            model.add(sum(mine.values()) <= p.max_meetings)
        if any(p.id in (r.a, r.b) for r in problem.requests):
            model.add(sum(mine.values()) >= 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@SLOW
@given(events())
def test_solve_never_double_books_and_respects_availability_and_caps(problem: Problem) -> None:
    schedule = solve(problem, time_limit_s=2.0, workers=1)
    assert violations(schedule) == []
    assert check(schedule) == []
    assert len(schedule.placements) == len(set(schedule.placements))


@SLOW
@given(events())
def test_everyone_gets_a_meeting_when_a_schedule_allows_it(problem: Problem) -> None:
    schedule = solve(problem, time_limit_s=2.0, workers=1)
    if full_cover_feasible(problem):
        met = {pid for rid in schedule.placements for pid in _pair(problem, rid)}
        asked = {pid for r in problem.requests for pid in (r.a, r.b)}
        assert met == asked


@SLOW
@given(events())
def test_cp_sat_is_never_worse_than_its_greedy_hint(problem: Problem) -> None:
    hint = greedy(problem)
    exact, _ = cp_sat(problem, hint, time_limit_s=2.0, workers=1)
    assert exact is not None
    assert violations(exact) == []
    covered = lambda s: sum(1 for n in s.meeting_counts.values() if n)  # noqa: E731
    assert (covered(exact), round(exact.weight, 6)) >= (covered(hint), round(hint.weight, 6))


@SLOW
@given(events())
def test_weight_never_exceeds_the_lp_bound(problem: Problem) -> None:
    schedule = solve(problem, time_limit_s=2.0, workers=1)
    bound = lp_bound(problem)
    assert bound is not None
    assert schedule.weight <= bound + 1e-6


@SLOW
@given(events(), st.randoms(use_true_random=False))
def test_rerun_keeps_published_meetings_and_fills_gaps(problem: Problem, rnd) -> None:
    first = solve(problem, time_limit_s=1.0, workers=1)
    published = [p for p in first.placements.values() if rnd.random() < 0.5]
    fixed = tuple(Placement(p.request_id, p.slot_id, p.table, True) for p in published)
    second_problem = Problem(
        problem.slots, problem.tables, problem.participants, problem.requests, fixed
    )
    second = solve(second_problem, time_limit_s=1.0, workers=1)
    for f in fixed:
        assert second.placements[f.request_id] == f
    assert violations(second) == []
    # gaps are filled: nothing left out could still be placed as it is
    for r in problem.requests:
        if r.id not in second.placements:
            assert all(validate_move(second, r.id, s.id, t) for s in problem.slots
                       for t in range(1, problem.tables + 1))


def test_two_representatives_hold_two_meetings_in_one_slot() -> None:
    slots = (Slot(1),)
    people = (
        Participant(1, "provider", representatives=2),
        Participant(2, "enterprise"),
        Participant(3, "enterprise"),
    )
    problem = Problem(slots, 2, people, (Request(1, 1, 2), Request(2, 1, 3)))
    schedule = solve(problem, time_limit_s=1.0, workers=1)
    assert len(schedule.placements) == 2
    single = Problem(slots, 2, (Participant(1, "provider"), *people[1:]), problem.requests)
    assert len(solve(single, time_limit_s=1.0, workers=1).placements) == 1


def test_must_meet_outweighs_a_better_score() -> None:
    assert meeting_weight(must_meet=True, match_score=0.1) > meeting_weight(
        must_meet=False, match_score=1.0
    )
    slots = (Slot(1),)
    people = (Participant(1, "provider"), Participant(2, "enterprise"), Participant(3, "enterprise"))
    requests = (
        Request(1, 1, 2, meeting_weight(must_meet=False, match_score=0.9)),
        Request(2, 1, 3, meeting_weight(must_meet=True, match_score=0.2)),
    )
    schedule = solve(Problem(slots, 1, people, requests), time_limit_s=1.0, workers=1)
    assert set(schedule.placements) == {2}


def test_coverage_beats_weight() -> None:
    """One slot: the heavy pair alone (weight 4, two met) loses to two light pairs (all met)."""
    people = tuple(Participant(i, "provider" if i in (1, 4) else "enterprise") for i in (1, 2, 3, 4))
    requests = (Request(1, 1, 2, 4.0), Request(2, 1, 3, 1.0), Request(3, 4, 2, 1.0))
    problem = Problem((Slot(1),), 2, people, requests)
    for schedule in (greedy(problem), solve(problem, time_limit_s=1.0, workers=1)):
        assert set(schedule.placements) == {2, 3}
    slots = (Slot(1), Slot(2))
    people = people[:3]
    requests = requests[:2]
    capped = (Participant(1, "provider", max_meetings=1), *people[1:])
    lone = solve(Problem(slots, 1, capped, requests), time_limit_s=1.0, workers=1)
    assert set(lone.placements) == {1}  # only one fits: the heavier one
    assert [p.id for p in lone.without_meetings()] == [3]
    assert coverable(Problem(slots, 1, capped, requests)) == {1, 2, 3}


def _grid() -> Schedule:
    slots = (Slot(1, 1), Slot(2, 1), Slot(3, 2))
    people = (
        Participant(1, "provider", 1, None, None, "甲服务商"),
        Participant(2, "enterprise", 1, frozenset({1, 2}), None, "乙企业"),
        Participant(3, "enterprise", 1, None, 1, "丙企业"),
        Participant(4, "provider", 2, None, None, "丁服务商"),
    )
    requests = (Request(1, 1, 2), Request(2, 1, 3), Request(3, 4, 2), Request(4, 4, 3))
    placements = {1: Placement(1, 1, 1), 2: Placement(2, 2, 1), 3: Placement(3, 2, 2)}
    return Schedule(Problem(slots, 2, people, requests), placements)


def test_validate_move_reports_each_conflict_in_chinese() -> None:
    grid = _grid()
    assert validate_move(grid, 1, 1, 2) == []  # another table, same slot
    reasons = validate_move(grid, 1, 2, 1)
    assert any("1号桌该时段已有约见" in r for r in reasons)
    assert any("甲服务商该时段已满" in r for r in reasons)
    assert any("乙企业该时段已满" in r for r in reasons)
    assert validate_move(grid, 1, 3, 1) == ["乙企业该时段不参会"]
    assert validate_move(grid, 4, 3, 1) == ["丙企业约见数已达上限（1场）"]  # unscheduled request
    assert validate_move(grid, 99, 1, 1) == ["该约见不存在"]
    assert validate_move(grid, 1, 9, 1) == ["该时段不存在"]
    assert validate_move(grid, 1, 1, 3) == ["桌号应在 1–2 之间"]


def test_move_and_cancellation_free_their_slot() -> None:
    grid = _grid()
    moved = apply_move(grid, 1, 1, 2)
    assert moved.placements[1] == Placement(1, 1, 2)
    assert check(moved) == []
    assert validate_move(grid, 3, 1, 1)  # 乙企业 already meets in slot 1
    freed = unschedule(grid, 1)
    assert 1 not in freed.placements
    assert validate_move(freed, 3, 1, 1) == []
    assert [p.id for p in freed.without_meetings()] == []
    try:
        apply_move(grid, 1, 2, 1)
    except ValueError as error:
        assert "已有约见" in str(error)
    else:  # pragma: no cover
        raise AssertionError("a conflicting move was applied")


def _pair(problem: Problem, rid: int) -> tuple[int, int]:
    r = problem.by_request[rid]
    return (r.a, r.b)


def test_validate_swap_checks_both_sides() -> None:
    grid = _grid()
    assert validate_swap(grid, 2, 3) == []  # same slot: the two swap tables
    assert validate_swap(grid, 1, 2) == ["乙企业该时段已满（1位代表均有约见）"]  # 乙 meets 丁 then
    moved = Schedule(grid.problem, {**grid.placements, 2: Placement(2, 3, 1)})
    assert validate_swap(moved, 1, 2) == ["乙企业该时段不参会"]
    assert validate_swap(grid, 1, 4) == ["请选择两场已排程的不同约见"]


@SLOW
@given(events())
def test_cell_options_allow_exactly_the_edits_that_keep_the_schedule_valid(problem: Problem) -> None:
    schedule = greedy(problem)
    assert violations(schedule) == []
    for request in problem.requests:
        options = cell_options(schedule, request.id)
        assert len(options) == len(problem.slots) * problem.tables
        for option in options:
            placements = dict(schedule.placements)
            if option.action == "here":
                assert placements[request.id] == Placement(request.id, option.slot_id, option.table)
                continue
            if option.action == "swap":
                assert option.occupant is not None
                if request.id not in placements:
                    assert option.conflicts  # an unscheduled request cannot take a taken cell
                    continue
                here, there = placements[request.id], placements[option.occupant]
                placements[request.id] = Placement(request.id, there.slot_id, there.table)
                placements[option.occupant] = Placement(option.occupant, here.slot_id, here.table)
            else:
                placements[request.id] = Placement(request.id, option.slot_id, option.table)
            after = violations(Schedule(problem, placements, "edited"))
            assert (not option.conflicts) == (not after), (option, after)
