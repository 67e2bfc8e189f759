"""Weighted maximum coverage under a budget, with a group-purchase (集采) discount.

The chain proposal's optimisation, kept apart from the chain and its records: items
(members' needs, and each member's connection to the leader) with weights; candidate
placements (an offering at a member) that cover some of that member's items to a
degree in 0–1; a unit price per offering that drops by `discount` for every unit once
at least `group_min` members take it. Pure and deterministic.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Pair = tuple[str, str]  # (offering id, member id)


@dataclass
class CoverageProblem:
    """What can be chosen, what it covers, what it costs.

    `weights`: item id → weight. `covers`: (offering, member) → {item id: degree 0–1}.
    `price`: offering id → list price (万元) per member.
    """

    weights: dict[str, float]
    covers: dict[Pair, dict[str, float]]
    price: dict[str, float]
    budget: float
    discount: float = 0.0
    group_min: int = 3
    min_ratio: float = 0.0  # a placement must add at least this value per unit of cost


@dataclass
class Selection:
    """Chosen placements with their covered value and cost."""

    pairs: list[Pair] = field(default_factory=list)
    value: float = 0.0
    cost: float = 0.0


def offering_cost(problem: CoverageProblem, offering: str, count: int) -> float:
    """What `count` members pay in total for one offering, with the group discount."""
    unit = problem.price[offering]
    if count >= problem.group_min and problem.discount > 0:
        unit *= 1.0 - problem.discount
    return unit * count


def selection_cost(problem: CoverageProblem, pairs: Iterable[Pair]) -> float:
    """Total cost of a set of placements."""
    counts: dict[str, int] = defaultdict(int)
    for offering, _member in pairs:
        counts[offering] += 1
    return sum(offering_cost(problem, o, n) for o, n in counts.items())


def coverage_value(problem: CoverageProblem, pairs: Iterable[Pair]) -> float:
    """Σ weight × best degree over the items the placements cover."""
    best: dict[str, float] = {}
    for pair in pairs:
        for item, degree in problem.covers.get(pair, {}).items():
            if degree > best.get(item, 0.0):
                best[item] = degree
    return sum(problem.weights.get(i, 0.0) * d for i, d in best.items())


class _Greedy:
    """Cost-effective greedy with lazy re-evaluation (a heap of stale-checked ratios)."""

    def __init__(self, problem: CoverageProblem) -> None:
        self.p = problem
        self.best: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)
        self.spent = 0.0
        self.chosen: list[Pair] = []
        self.member_version: dict[str, int] = defaultdict(int)
        self.offer_version: dict[str, int] = defaultdict(int)
        self.by_offering: dict[str, list[Pair]] = defaultdict(list)
        for pair in problem.covers:
            self.by_offering[pair[0]].append(pair)

    def gain(self, pair: Pair) -> float:
        weights, best = self.p.weights, self.best
        return sum(weights.get(i, 0.0) * max(0.0, d - best[i])
                   for i, d in self.p.covers[pair].items())

    def delta(self, offering: str) -> float:
        n = self.count[offering]
        return offering_cost(self.p, offering, n + 1) - offering_cost(self.p, offering, n)

    def entry(self, pair: Pair) -> tuple[float, str, str, int, int] | None:
        gain = self.gain(pair)
        if gain <= 1e-12:
            return None
        cost = self.delta(pair[0])
        ratio = gain / cost if cost > 1e-12 else float("inf")
        if ratio < self.p.min_ratio:
            return None
        return (-ratio, pair[0], pair[1], self.member_version[pair[1]], self.offer_version[pair[0]])

    def take(self, pair: Pair) -> None:
        offering, member = pair
        self.spent += self.delta(offering)
        before = self.count[offering]
        self.count[offering] += 1
        self.chosen.append(pair)
        for item, degree in self.p.covers[pair].items():
            self.best[item] = max(self.best[item], degree)
        self.member_version[member] += 1
        if self.p.group_min - 2 <= before <= self.p.group_min - 1:  # next unit's price changes
            self.offer_version[offering] += 1

    def run(self, taken: Iterable[Pair] = ()) -> Selection:
        for pair in taken:
            self.take(pair)
        chosen = set(self.chosen)
        heap = [e for pair in sorted(self.p.covers) if pair not in chosen
                if (e := self.entry(pair)) is not None]
        heapq.heapify(heap)
        while heap:
            _ratio, offering, member, mv, ov = heapq.heappop(heap)
            pair = (offering, member)
            if pair in chosen:
                continue
            if mv != self.member_version[member] or ov != self.offer_version[offering]:
                fresh = self.entry(pair)
                if fresh is not None:
                    heapq.heappush(heap, fresh)
                continue
            if self.spent + self.delta(offering) > self.p.budget + 1e-9:
                continue
            self.take(pair)
            chosen.add(pair)
            if self.offer_version[offering] != ov:
                for other in self.by_offering[offering]:
                    if other not in chosen and (e := self.entry(other)) is not None:
                        heapq.heappush(heap, e)
        return _finish(self.p, self.chosen)


def _finish(problem: CoverageProblem, pairs: list[Pair]) -> Selection:
    return Selection(pairs=sorted(pairs), value=coverage_value(problem, pairs),
                     cost=selection_cost(problem, pairs))


def _best_single(problem: CoverageProblem) -> Selection:
    best = Selection()
    for pair, covered in sorted(problem.covers.items()):
        price = problem.price[pair[0]]
        if price <= problem.budget + 1e-9:
            value = sum(problem.weights.get(i, 0.0) * d for i, d in covered.items())
            if value > best.value and value >= problem.min_ratio * price:
                best = _finish(problem, [pair])
    return best


def _worth(problem: CoverageProblem, pair: Pair) -> bool:
    value = sum(problem.weights.get(i, 0.0) * d for i, d in problem.covers[pair].items())
    return value >= problem.min_ratio * problem.price[pair[0]]


def _improve(problem: CoverageProblem, current: Selection, rounds: int) -> Selection:
    """Drop one placement and refill greedily; keep the first change that raises the value."""
    for _ in range(rounds):
        improved = False
        for drop in list(current.pairs):
            rest = [p for p in current.pairs if p != drop]
            trial = _Greedy(_without(problem, drop)).run(rest)
            if trial.value > current.value + 1e-9:
                current, improved = trial, True
                break
        if not improved:
            break
    return current


def _without(problem: CoverageProblem, pair: Pair) -> CoverageProblem:
    covers = {p: c for p, c in problem.covers.items() if p != pair}
    return CoverageProblem(weights=problem.weights, covers=covers, price=problem.price,
                           budget=problem.budget, discount=problem.discount,
                           group_min=problem.group_min, min_ratio=problem.min_ratio)


def _discounted_start(problem: CoverageProblem) -> Selection:
    """Greedy as if every unit had the group price, then repaired to the true prices.

    Finds selections that only pay off once the discount applies, which the plain
    greedy, one unit at a time, walks past. The repair keeps the offerings that reached
    the group size (their price was right) and refills the rest at true prices.
    """
    cheap = CoverageProblem(
        weights=problem.weights, covers=problem.covers,
        price={o: p * (1.0 - problem.discount) for o, p in problem.price.items()},
        budget=problem.budget, discount=0.0, group_min=1, min_ratio=problem.min_ratio,
    )
    pairs = list(_Greedy(cheap).run().pairs)
    counts: dict[str, int] = defaultdict(int)
    for offering, _member in pairs:
        counts[offering] += 1
    # Offerings that reached the group size cost what the cheap run assumed; drop the rest.
    kept = [p for p in pairs if counts[p[0]] >= problem.group_min]
    return _Greedy(problem).run(kept)


def solve_coverage(
    problem: CoverageProblem, *, improve_up_to: int = 400, enumerate_up_to: int = 150,
) -> Selection:
    """A budgeted weighted coverage, close to the optimum.

    Cost-effective greedy (marginal value ÷ marginal cost, the group discount included
    in the marginal cost), compared with the best single placement (the classic fix
    that bounds the greedy's loss) and, with a discount, with a greedy run at group
    prices repaired to the true ones; on problems of at most `enumerate_up_to`
    placements, also with greedy runs seeded by each single placement (partial
    enumeration). The best of these is then improved by drop-one-and-refill local search
    while the problem has at most `improve_up_to` candidate placements.

    Returns:
        The best `Selection` found; its cost never exceeds the budget.
    """
    starts = [_Greedy(problem).run(), _best_single(problem)]
    if problem.discount > 0:
        starts.append(_discounted_start(problem))
    if len(problem.covers) <= enumerate_up_to:
        starts.extend(_Greedy(problem).run([pair]) for pair in sorted(problem.covers)
                      if problem.price[pair[0]] <= problem.budget + 1e-9
                      and _worth(problem, pair))
    best = max(starts, key=lambda s: (s.value, -s.cost))
    if len(problem.covers) <= improve_up_to:
        best = _improve(problem, best, rounds=5)
    return best


def members_of(pairs: Iterable[Pair]) -> Mapping[str, list[str]]:
    """Member id → the offerings placed with it."""
    out: dict[str, list[str]] = defaultdict(list)
    for offering, member in pairs:
        out[member].append(offering)
    return out
