"""Allocation: never above a provider's capacity (in enterprises), and optimal on small cases."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.allocation import NeedSlot, Option, allocate


def _slots(raw: list[tuple[int, int, list[tuple[int, int]]]]) -> list[NeedSlot]:
    return [
        NeedSlot(f"n{i}", f"e{ent}", 1.0 + (i % 3),
                 tuple(Option(f"s{p}", f"p{p}", score / 100) for p, score in options))
        for i, (ent, _, options) in enumerate(raw)
    ]


instances = st.lists(
    st.tuples(st.integers(0, 6), st.just(0),
              st.lists(st.tuples(st.integers(0, 4), st.integers(1, 100)), max_size=4)),
    min_size=1, max_size=25,
)


@given(instances, st.lists(st.integers(0, 3), min_size=5, max_size=5))
@settings(max_examples=150, deadline=None)
def test_capacity_is_never_exceeded(raw, caps) -> None:
    slots = _slots(raw)
    capacity = {f"p{i}": c for i, c in enumerate(caps)}
    result = allocate(slots, capacity)
    for provider, ents in result.provider_enterprises.items():
        assert len(ents) <= capacity[provider]
    for slot in slots:
        chosen = result.assigned[slot.need_id]
        assert chosen is None or chosen in slot.options


def test_allocation_maximises_total_score_against_brute_force() -> None:
    slots = [
        NeedSlot("a", "e1", 1.0, (Option("x", "P", 0.9), Option("y", "Q", 0.8))),
        NeedSlot("b", "e2", 1.0, (Option("x", "P", 0.95), Option("z", "R", 0.5))),
        NeedSlot("c", "e3", 2.0, (Option("x", "P", 0.7), Option("y", "Q", 0.6))),
    ]
    capacity = {"P": 1, "Q": 1, "R": 1}
    best = 0.0
    for combo in itertools.product(*[[None, *s.options] for s in slots]):
        loads: dict[str, set[str]] = {}
        for slot, option in zip(slots, combo, strict=True):
            if option:
                loads.setdefault(option.provider_id, set()).add(slot.enterprise_id)
        if all(len(e) <= capacity[p] for p, e in loads.items()):
            best = max(best, sum(o.score * s.weight for s, o in zip(slots, combo, strict=True) if o))
    result = allocate(slots, capacity)
    assert abs(result.total - best) < 1e-6


def test_one_provider_may_serve_several_needs_of_one_enterprise_within_capacity() -> None:
    slots = [
        NeedSlot("a", "e1", 1.0, (Option("erp", "P", 0.9),)),
        NeedSlot("b", "e1", 1.0, (Option("erp", "P", 0.8), Option("q", "Q", 0.3))),
    ]
    result = allocate(slots, {"P": 1, "Q": 1})
    assert result.assigned["a"] and result.assigned["a"].provider_id == "P"
    assert result.assigned["b"] and result.assigned["b"].provider_id == "P"
    assert result.load("P") == 1
