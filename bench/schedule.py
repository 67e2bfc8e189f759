"""Benchmark the meeting scheduler on a generated 供需对接 event; prints figures, asserts nothing.

    .venv/bin/python bench/schedule.py [--seed 7] [--time-limit 20]

Event: 300 enterprises, 80 providers (a quarter with 2 representatives), 12 slots in two
sessions, 40 tables, 2,000 accepted requests; some participants come for one session only.
Targets: a schedule within 30 s, within 1% of the upper bound, nobody at zero when feasible.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from matching.schedule.greedy import greedy
from matching.schedule.problem import (
    Participant,
    Placement,
    Problem,
    Request,
    Slot,
    check,
    meeting_weight,
    validate_move,
)
from matching.schedule.solver import coverable, cp_sat, lp_bound, solve


def generate(
    *, seed: int, enterprises: int = 300, providers: int = 80, slots: int = 12,
    tables: int = 40, requests: int = 2000,
) -> Problem:
    """A deterministic event: popular providers draw more requests (Zipf-like)."""
    rng = random.Random(seed)
    slot_list = tuple(Slot(i + 1, session=1 if i < slots // 2 else 2) for i in range(slots))
    morning = frozenset(s.id for s in slot_list if s.session == 1)
    afternoon = frozenset(s.id for s in slot_list if s.session == 2)

    def availability() -> frozenset[int] | None:
        roll = rng.random()
        return morning if roll < 0.1 else afternoon if roll < 0.2 else None

    people = [
        Participant(i, "enterprise", 1, availability(), 6, f"企业{i}") for i in range(1, enterprises + 1)
    ]
    for j in range(providers):
        reps = 2 if rng.random() < 0.25 else 1
        pid = 10_000 + j
        people.append(Participant(pid, "provider", reps, availability(), 12 * reps, f"服务商{j}"))
    pairs = _pairs(rng, enterprises, providers, requests)
    reqs = tuple(
        Request(i + 1, e, 10_000 + p,
                meeting_weight(must_meet=rng.random() < 0.25, match_score=rng.betavariate(2, 2)))
        for i, (e, p) in enumerate(pairs)
    )
    return Problem(slot_list, tables, tuple(people), reqs)


def _pairs(rng: random.Random, enterprises: int, providers: int, n: int) -> list[tuple[int, int]]:
    popularity = [1.0 / (k + 1) ** 0.8 for k in range(providers)]
    pairs: set[tuple[int, int]] = set()
    for e in range(1, enterprises + 1):  # everyone asks for at least one meeting
        pairs.add((e, rng.choices(range(providers), popularity)[0]))
    for p in range(providers):  # every provider is asked at least once
        pairs.add((rng.randint(1, enterprises), p))
    while len(pairs) < n:
        pairs.add((rng.randint(1, enterprises), rng.choices(range(providers), popularity)[0]))
    return sorted(pairs)[:n] if len(pairs) > n else sorted(pairs)


def _move_timing(schedule, rng: random.Random, n: int = 2000) -> tuple[float, float, int]:
    problem = schedule.problem
    rids = list(schedule.placements)
    times, conflicts = [], 0
    for _ in range(n):
        rid = rng.choice(rids)
        slot = rng.choice(problem.slot_ids)
        table = rng.randint(1, problem.tables)
        t0 = time.perf_counter()
        reasons = validate_move(schedule, rid, slot, table)
        times.append(time.perf_counter() - t0)
        conflicts += bool(reasons)
    return statistics.mean(times) * 1e3, max(times) * 1e3, conflicts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args()
    problem = generate(seed=args.seed)
    n_people = len(problem.participants)
    print(f"活动：{n_people} 参会方，{len(problem.slots)} 时段，{problem.tables} 桌，"
          f"{len(problem.requests)} 个已接受约见；最多可排 {len(problem.slots) * problem.tables} 场")

    t0 = time.perf_counter()
    schedule = solve(problem, time_limit_s=args.time_limit, workers=2, seed=args.seed)
    total = time.perf_counter() - t0
    st = schedule.stats
    print(f"greedy        : weight {st['greedy_weight']:.2f}  time {st['greedy_seconds'] * 1e3:.0f} ms")
    print(f"LP + rounding : weight {st['lp_rounded_weight']:.2f}  LP time {st['lp_seconds']:.2f} s")
    print(f"CP-SAT in solve(): {st['cp_sat_status']}")
    print(f"solve()       : {schedule.method}, weight {schedule.weight:.2f}, "
          f"{len(schedule.placements)} 场, total {total:.2f} s")
    _cp_sat_alone(problem, args)

    everyone = coverable(problem)
    lp_free = lp_bound(problem)
    print(f"upper bound   : {st['bound']:.2f} ({st['bound_kind']}); "
          f"gap {100 * st['gap']:.3f}%   [LP without the coverage rows: {lp_free:.2f}]")
    zero = schedule.without_meetings()
    feasible = "yes (this schedule)" if not zero else (
        "no (LP with coverage rows infeasible)" if "everyone" not in st["bound_kind"] else "unknown")
    print(f"zero meetings : {len(zero)} of {n_people} participants; coverable {len(everyone)}; "
          f"everyone ≥ 1 feasible: {feasible}")
    problems = check(schedule)
    print(f"check()       : {'valid' if not problems else problems[:3]}")
    mean_ms, max_ms, conflicts = _move_timing(schedule, random.Random(args.seed))
    print(f"validate_move : mean {mean_ms:.4f} ms, max {max_ms:.3f} ms over 2000 random moves "
          f"({conflicts} with conflicts)")
    _rerun(schedule, args)


def _cp_sat_alone(problem: Problem, args: argparse.Namespace) -> None:
    """CP-SAT hinted with the plain greedy only (what the issue describes), for comparison."""
    hint = greedy(problem)
    exact, stats = cp_sat(problem, hint, time_limit_s=args.time_limit, workers=2, seed=args.seed)
    weight = exact.weight if exact else float("nan")
    bound = stats.get("weight_bound")
    print(f"CP-SAT (hint = greedy, {args.time_limit:.0f} s limit, 2 workers): weight {weight:.2f}  "
          f"time {stats['seconds']:.2f} s  status {stats['status']}  "
          f"own bound {'n/a' if bound is None else f'{bound:.2f}'}")


def _rerun(schedule, args) -> None:
    """Publish half of the meetings, cancel a tenth of those, add requests, re-run."""
    rng = random.Random(args.seed + 1)
    problem = schedule.problem
    kept = [p for p in schedule.placements.values() if rng.random() < 0.5]
    cancelled = set(rng.sample([p.request_id for p in kept], len(kept) // 10))
    fixed = tuple(Placement(p.request_id, p.slot_id, p.table, True)
                  for p in kept if p.request_id not in cancelled)
    requests = tuple(r for r in problem.requests if r.id not in cancelled)
    second = Problem(problem.slots, problem.tables, problem.participants, requests, fixed)
    t0 = time.perf_counter()
    again = solve(second, time_limit_s=args.time_limit, workers=2, seed=args.seed)
    moved = sum(1 for f in fixed if again.placements[f.request_id] != f)
    st = again.stats
    print(f"re-run keeping {len(fixed)} published meetings ({len(cancelled)} cancelled): "
          f"{again.method}, weight {again.weight:.2f} (bound {st['bound']:.2f}), "
          f"{len(again.placements)} 场, {moved} published moved, "
          f"zero-meeting {len(again.without_meetings())}, valid {not check(again)}, "
          f"{time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
