"""Capacity-aware allocation: recommend one offering per need so that no provider is
handed more enterprises than its capacity, maximising the total priority-weighted score.

Min-cost flow (OR-Tools SimpleMinCostFlow): source → need (1) → (enterprise, provider)
(1) → provider (capacity, in enterprises) → sink; every need may also stay unassigned.
The (enterprise, provider) node carries one unit, so the flow into a provider counts
enterprises exactly. A second pass then lets a provider already allocated to an
enterprise take that enterprise's other needs it scores well on, which uses no more
capacity. The allocation only recommends: every enterprise keeps its alternatives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow

SCALE = 10_000


@dataclass(frozen=True)
class Option:
    """One candidate offering for a need."""

    solution_id: str
    provider_id: str
    score: float


@dataclass(frozen=True)
class NeedSlot:
    """A need to allocate: its enterprise, priority weight and candidate options."""

    need_id: str
    enterprise_id: str
    weight: float
    options: tuple[Option, ...]


@dataclass
class Allocation:
    """Recommended option per need (None: unassigned) and each provider's enterprises."""

    assigned: dict[str, Option | None]
    provider_enterprises: dict[str, set[str]] = field(default_factory=dict)
    total: float = 0.0

    def load(self, provider_id: str) -> int:
        return len(self.provider_enterprises.get(provider_id, set()))


def allocate(slots: Sequence[NeedSlot], capacity: dict[str, int],
             default_capacity: int = 20) -> Allocation:
    """Allocate needs to options within provider capacities, maximising weighted score.

    Args:
        slots: the needs with their options (scores in [0, 1]).
        capacity: enterprises each provider can take; missing providers get `default_capacity`.

    Returns:
        Allocation; for every provider, the number of distinct enterprises ≤ its capacity.
    """
    flow, arcs = _build_flow(slots, capacity, default_capacity)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    assigned: dict[str, Option | None] = {s.need_id: None for s in slots}
    for arc, (slot, option) in arcs.items():
        if flow.flow(arc) > 0:
            assigned[slot.need_id] = option
    result = _tally(slots, assigned)
    _second_pass(slots, result)
    return result


def _build_flow(slots: Sequence[NeedSlot], capacity: dict[str, int], default_capacity: int
                ) -> tuple[min_cost_flow.SimpleMinCostFlow, dict[int, tuple[NeedSlot, Option]]]:
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    nodes: dict[tuple[str, ...], int] = {}

    def node(*key: str) -> int:
        if key not in nodes:
            nodes[key] = len(nodes) + 2
        return nodes[key]

    arcs: dict[int, tuple[NeedSlot, Option]] = {}
    providers: set[str] = set()
    for slot in slots:
        need = node("n", slot.need_id)
        flow.add_arc_with_capacity_and_unit_cost(source, need, 1, 0)
        flow.add_arc_with_capacity_and_unit_cost(need, sink, 1, 0)  # unassigned
        for option in _best_per_provider(slot.options):
            pair = node("p", slot.enterprise_id, option.provider_id)
            cost = -int(round(option.score * slot.weight * SCALE))
            arcs[flow.add_arc_with_capacity_and_unit_cost(need, pair, 1, cost)] = (slot, option)
            providers.add(option.provider_id)
    for key, pair in list(nodes.items()):
        if key[0] == "p":
            flow.add_arc_with_capacity_and_unit_cost(pair, node("v", key[2]), 1, 0)
    for provider in providers:
        cap = max(0, capacity.get(provider, default_capacity))
        flow.add_arc_with_capacity_and_unit_cost(node("v", provider), sink, cap, 0)
    flow.set_node_supply(source, len(slots))
    flow.set_node_supply(sink, -len(slots))
    return flow, arcs


def _best_per_provider(options: Sequence[Option]) -> list[Option]:
    """A need needs one offering per provider at most: keep each provider's best."""
    best: dict[str, Option] = {}
    for option in options:
        kept = best.get(option.provider_id)
        if kept is None or (option.score, kept.solution_id) > (kept.score, option.solution_id):
            best[option.provider_id] = option
    return list(best.values())


def _tally(slots: Sequence[NeedSlot], assigned: dict[str, Option | None]) -> Allocation:
    result = Allocation(assigned=assigned)
    for slot in slots:
        option = assigned[slot.need_id]
        if option is not None:
            result.provider_enterprises.setdefault(option.provider_id, set()).add(slot.enterprise_id)
            result.total += option.score * slot.weight
    return result


def _second_pass(slots: Sequence[NeedSlot], result: Allocation) -> None:
    """Give a need to a provider already serving its enterprise when that scores better."""
    for slot in slots:
        current = result.assigned[slot.need_id]
        serving = {p for p, ents in result.provider_enterprises.items() if slot.enterprise_id in ents}
        better = [o for o in slot.options if o.provider_id in serving
                  and (current is None or o.score > current.score + 1e-9)]
        if not better:
            continue
        choice = max(better, key=lambda o: (o.score, o.solution_id))
        result.assigned[slot.need_id] = choice
        result.total += (choice.score - (current.score if current else 0.0)) * slot.weight
    result.provider_enterprises = {}
    for slot in slots:
        option = result.assigned[slot.need_id]
        if option is not None:
            result.provider_enterprises.setdefault(option.provider_id, set()).add(slot.enterprise_id)
