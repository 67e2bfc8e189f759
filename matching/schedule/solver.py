"""The exact side of meeting scheduling: CP-SAT seeded by the greedy, and upper bounds.

Both models choose, for each accepted request, at most one slot among those both sides are
available for (x[r, s] ∈ {0, 1}); tables are identical, so a slot holds at most its free
tables' worth of meetings and the tables are numbered afterwards. `solve` is the entry point.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from matching.schedule.greedy import _assign_tables, _Load, complete, greedy
from matching.schedule.problem import WEIGHT_SCALE, Problem, Schedule


@dataclass
class _Groups:
    """The model's variables grouped by the constraint they take part in."""

    by_request: dict[int, list[tuple[int, Any]]] = field(default_factory=lambda: defaultdict(list))
    by_slot: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    by_person_slot: dict[tuple[int, int], list[Any]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_person: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))


def _group(problem: Problem, make_var: Any) -> _Groups:
    groups = _Groups()
    for rid, slots in problem.candidates.items():
        r = problem.by_request[rid]
        for s in slots:
            var = make_var(rid, s)
            groups.by_request[rid].append((s, var))
            groups.by_slot[s].append(var)
            for pid in (r.a, r.b):
                groups.by_person_slot[(pid, s)].append(var)
                groups.by_person[pid].append(var)
    return groups


def _limits(problem: Problem, load: _Load, groups: _Groups) -> Iterable[tuple[list[Any], int]]:
    """(variables, at most) for every capacity constraint, after the fixed meetings."""
    people = problem.by_participant
    for s, xs in groups.by_slot.items():
        yield xs, max(0, load.free[s])
    for (pid, s), xs in groups.by_person_slot.items():
        cap = max(0, people[pid].representatives - load.busy[(pid, s)])
        if len(xs) > cap:
            yield xs, cap
    for pid, xs in groups.by_person.items():
        cap_total = people[pid].max_meetings
        if cap_total is not None and len(xs) > cap_total - load.count[pid]:
            yield xs, max(0, cap_total - load.count[pid])


def coverable(problem: Problem) -> set[int]:
    """Participants that can get a meeting at all (a request with a common free slot)."""
    load = _Load(problem)
    out = {pid for pid, n in load.count.items() if n > 0}
    for rid, slots in problem.candidates.items():
        if slots:
            out.update((problem.by_request[rid].a, problem.by_request[rid].b))
    return out


def _objective_units(problem: Problem) -> tuple[dict[int, int], int]:
    """Integer weights and the per-participant coverage bonus (> any total weight)."""
    weights = {rid: problem.scaled_weight(rid) for rid in problem.candidates}
    return weights, sum(weights.values()) + 1


def _score(problem: Problem, schedule: Schedule, bonus: int) -> int:
    covered = sum(1 for n in schedule.meeting_counts.values() if n > 0)
    return covered * bonus + sum(problem.scaled_weight(rid) for rid in schedule.placements)


def cp_sat(
    problem: Problem,
    hint: Schedule | None,
    *,
    time_limit_s: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    gap_limit: float = 0.001,
) -> tuple[Schedule | None, dict[str, Any]]:
    """Solve the slot-assignment model with CP-SAT, seeded by `hint`.

    Args:
        problem: the event.
        hint: a feasible schedule (usually the greedy) given as AddHint for every variable.
        time_limit_s: wall-clock limit; workers: search workers; seed: random seed.
        gap_limit: stop once the weight is provably within this fraction of the optimum.
    Returns:
        (schedule or None when CP-SAT found nothing, stats: status, seconds, weight bound).
    """
    started = time.perf_counter()
    model = cp_model.CpModel()
    load = _Load(problem)
    groups = _group(problem, lambda r, s: model.new_bool_var(f"x{r}_{s}"))
    for entries in groups.by_request.values():
        model.add_at_most_one(var for _, var in entries)
    for xs, cap in _limits(problem, load, groups):
        model.add(sum(xs) <= cap)
    weights, bonus = _objective_units(problem)
    cover = _coverage(model, problem, load, groups, hint)
    terms = [weights[rid] * var for rid, e in groups.by_request.items() for _, var in e]
    model.maximize(sum(terms) + bonus * sum(cover.values()))
    if hint is not None:
        _add_hint(model, groups, cover, hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if hint is not None:
        hinted = sum(weights.get(rid, 0) for rid in hint.placements)
        solver.parameters.absolute_gap_limit = max(1.0, gap_limit * hinted)
    status = solver.solve(model)
    stats = _cp_stats(problem, solver, status, bonus, started)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, stats
    slot_of = {
        rid: s for rid, e in groups.by_request.items() for s, var in e if solver.value(var)
    }
    for f in problem.fixed:
        slot_of[f.request_id] = f.slot_id
    schedule = Schedule(problem, _assign_tables(problem, slot_of), "cp-sat", stats)
    stats["weight_bound"] = _weight_bound(
        problem, schedule, solver.best_objective_bound, bonus if cover else 0
    )
    return schedule, stats


def _coverage(
    model: cp_model.CpModel, problem: Problem, load: _Load, groups: _Groups, hint: Schedule | None
) -> dict[int, Any]:
    """Everyone ≥ 1 meeting: hard when the hint already covers every coverable participant
    (the lexicographic optimum then covers them all too), else a bonus variable per person."""
    todo = [pid for pid in groups.by_person if load.count[pid] == 0]
    counts = hint.meeting_counts if hint is not None else {}
    if hint is not None and all(counts.get(pid, 0) > 0 for pid in coverable(problem)):
        for pid in todo:
            model.add(sum(groups.by_person[pid]) >= 1)
        return {}
    cover = {pid: model.new_bool_var(f"y{pid}") for pid in todo}
    for pid, y in cover.items():
        model.add_bool_or(groups.by_person[pid]).only_enforce_if(y)
    return cover


def _add_hint(model: cp_model.CpModel, groups: _Groups, cover: dict[int, Any], hint: Schedule) -> None:
    for rid, entries in groups.by_request.items():
        placed = hint.placements.get(rid)
        for s, var in entries:
            model.add_hint(var, placed is not None and placed.slot_id == s)
    counts = hint.meeting_counts
    for pid, y in cover.items():
        model.add_hint(y, counts.get(pid, 0) > 0)


def _cp_stats(problem: Problem, solver: Any, status: Any, bonus: int, started: float) -> dict[str, Any]:
    return {
        "status": solver.status_name(status),
        "seconds": time.perf_counter() - started,
        "objective_bound": solver.best_objective_bound,
        "bonus": bonus,
    }


def _weight_bound(problem: Problem, schedule: Schedule, bound: float, bonus: int) -> float | None:
    """CP-SAT's bound in weight units, when it proves no schedule covers more participants."""
    load = _Load(problem)
    newly = sum(
        1 for pid, n in schedule.meeting_counts.items() if n > 0 and load.count[pid] == 0
    )
    if bonus and bound >= (newly + 1) * bonus:
        return None
    fixed_weight = sum(problem.by_request[f.request_id].weight for f in problem.fixed
                       if f.request_id in problem.by_request)
    return (bound - newly * bonus) / WEIGHT_SCALE + fixed_weight


def lp_relaxation(
    problem: Problem, *, cover: Iterable[int] = ()
) -> tuple[float | None, dict[tuple[int, int], float]]:
    """The LP relaxation (GLOP) of the slot-assignment model: an upper bound and its solution.

    Args:
        problem: the event.
        cover: participants that must get at least one meeting (x summed over their requests
            ≥ 1); with every coverable participant here, the bound holds for every schedule
            that leaves nobody at zero.
    Returns:
        (bound on total weight, fixed meetings included, or None when the LP is infeasible,
        which proves that no schedule covers all of `cover`; (request, slot) → x value).
    """
    solver = pywraplp.Solver.CreateSolver("GLOP")
    load = _Load(problem)
    groups = _group(problem, lambda r, s: solver.NumVar(0.0, 1.0, ""))
    for entries in groups.by_request.values():
        solver.Add(solver.Sum([var for _, var in entries]) <= 1)
    for xs, cap in _limits(problem, load, groups):
        solver.Add(solver.Sum(xs) <= cap)
    for pid in cover:
        if load.count[pid] == 0:
            solver.Add(solver.Sum(groups.by_person.get(pid, [])) >= 1)
    reqs = problem.by_request
    solver.Maximize(
        solver.Sum([reqs[rid].weight * var for rid, e in groups.by_request.items() for _, var in e])
    )
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None, {}
    values = {
        (rid, s): var.solution_value()
        for rid, e in groups.by_request.items() for s, var in e if var.solution_value() > 1e-6
    }
    fixed_weight = sum(reqs[f.request_id].weight for f in problem.fixed if f.request_id in reqs)
    return solver.Objective().Value() + fixed_weight, values


def lp_bound(problem: Problem, *, cover: Iterable[int] = ()) -> float | None:
    """Upper bound on total weight from `lp_relaxation` (None: covering `cover` is infeasible)."""
    return lp_relaxation(problem, cover=cover)[0]


def _start(problem: Problem) -> tuple[Schedule, dict[str, Any]]:
    """The greedy, and the greedy guided by the LP solution; the better of the two, and stats."""
    first = greedy(problem)
    everyone = coverable(problem)
    started = time.perf_counter()
    bound, guide = lp_relaxation(problem, cover=everyone)
    kind = "LP relaxation (GLOP), everyone ≥ 1 meeting"
    if bound is None:
        bound, guide = lp_relaxation(problem)
        kind = "LP relaxation (GLOP)"
    rounded = greedy(problem, guide)
    _, bonus = _objective_units(problem)
    best = rounded if _score(problem, rounded, bonus) > _score(problem, first, bonus) else first
    stats = {
        "greedy_weight": first.weight,
        "greedy_seconds": first.stats["seconds"],
        "lp_bound": bound,
        "lp_bound_kind": kind,
        "lp_seconds": time.perf_counter() - started,
        "lp_rounded_weight": rounded.weight,
        "coverable": len(everyone),
    }
    return best, stats


def solve(
    problem: Problem,
    *,
    time_limit_s: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    use_cp_sat: bool = True,
) -> Schedule:
    """Schedule an event: greedy and LP rounding, then CP-SAT from the better one as its hint.

    Published meetings (problem.fixed) are kept as they are; the rest fills the gaps. CP-SAT
    is skipped when the start already reaches the LP bound (it is then proven optimal).

    Args:
        problem: the event.
        time_limit_s: CP-SAT wall-clock limit; workers: CP-SAT workers; seed: random seed.
        use_cp_sat: False stops after the greedy and the LP rounding.
    Returns:
        The best `Schedule`; stats hold greedy_weight/_seconds, lp_bound/_kind/_seconds,
        lp_rounded_weight, cp_sat_status/_seconds/_weight/_weight_bound, bound, bound_kind,
        gap (fraction of the bound), covered and coverable.
    """
    best, stats = _start(problem)
    _, bonus = _objective_units(problem)
    full = stats["lp_bound"] is not None and best.weight >= stats["lp_bound"] - 1e-6
    stats["cp_sat_status"] = "skipped: LP bound reached" if full else "not run"
    if use_cp_sat and problem.candidates and not full:
        exact, cp_stats = cp_sat(
            problem, best, time_limit_s=time_limit_s, workers=workers, seed=seed
        )
        stats.update({
            "cp_sat_status": cp_stats["status"],
            "cp_sat_seconds": cp_stats["seconds"],
            "cp_sat_weight": exact.weight if exact else None,
            "cp_sat_weight_bound": cp_stats.get("weight_bound"),
        })
        if exact is not None and _score(problem, exact, bonus) > _score(problem, best, bonus):
            best = complete(exact)
    _finish_stats(best, stats)
    best.stats = stats
    return best


def _finish_stats(best: Schedule, stats: dict[str, Any]) -> None:
    bounds = [(stats.get("lp_bound"), stats.get("lp_bound_kind")),
              (stats.get("cp_sat_weight_bound"), "CP-SAT best bound")]
    valid = [(b, k) for b, k in bounds if b is not None]
    bound, kind = min(valid, key=lambda t: t[0]) if valid else (None, None)
    stats["bound"], stats["bound_kind"] = bound, kind
    stats["gap"] = (bound - best.weight) / bound if bound else None
    stats["covered"] = sum(1 for n in best.meeting_counts.values() if n > 0)
    stats["method"] = best.method
