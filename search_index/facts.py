"""Who may see a listing, and what it is, as the search filters, counts and sorts it.

A filter is written once, as data (`Filter`: every group must hold; a group holds when
one of its `field = value` conditions does), and carried out two ways: rendered for
Meilisearch (`render`), and evaluated over the listings a snapshot holds (`Facts`) or
over one document (`admits`). tests/search_index/test_facts.py checks the two agree.

`Facts` keeps each filterable, facet and sort field of the held listings as a column, so a
text query's result set is filtered, counted and sorted in the process: the engine is not
asked to filter a few hundred ids per search (which cost it more than the search itself).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from cachetools import LRUCache

from search_index.settings import SOLUTION_FACETS, SORTS

Condition = tuple[str, Any]  # field = value (for a list field: the value is one of its items)
Filter = tuple[tuple[Condition, ...], ...]  # AND of ORs

# The fields a filter may name (those of `search_index.query.build_filter`) and the sort keys.
FILTER_FIELDS = ("public", "region_prefixes", "provider_id", "served", *SOLUTION_FACETS)
SORT_FIELDS = tuple(dict.fromkeys(spec.partition(":")[0] for spec in SORTS.values()))


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(flt: Filter) -> list[list[str]]:
    """The filter in Meilisearch's syntax (outer list AND, inner list OR)."""
    return [[f"{field} = {_literal(value)}" for field, value in group] for group in flt]


def holds(have: Any, value: Any) -> bool:
    """Does a document's field value `have` satisfy `field = value`?"""
    if isinstance(have, list | tuple):
        return any(holds(item, value) for item in have)
    if have is None:
        return False
    if isinstance(value, bool) or isinstance(have, bool):
        return have is value
    return bool(have == value) or str(have) == str(value)


def admits(doc: dict[str, Any], flt: Filter) -> bool:
    """Does one document pass the filter?"""
    return all(any(holds(doc.get(field), value) for field, value in group) for group in flt)


def facet_key(value: Any) -> str:
    """A facet value as Meilisearch names it (booleans as true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def count_facets(docs: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Facet value counts over documents, most frequent first (as the engine orders them)."""
    counts: dict[str, dict[str, int]] = {}
    for doc in docs:
        for facet in SOLUTION_FACETS:
            have = doc.get(facet)
            for item in have if isinstance(have, list | tuple) else (have,):
                if item is None or item == "":
                    continue
                values = counts.setdefault(facet, {})
                key = facet_key(item)
                values[key] = values.get(key, 0) + 1
    return {facet: dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))
            for facet, values in counts.items()}


def sort_key(doc: dict[str, Any], sort: str) -> tuple[int, float]:
    """Where a document goes under `sort` (a SORTS name): documents without the field last."""
    field, _, direction = SORTS[sort].partition(":")
    value = doc.get(field)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return (1, 0.0)
    return (0, -float(value) if direction == "desc" else float(value))


class Facts:
    """The filter, facet and sort fields of held listings, by position."""

    def __init__(self, docs: Sequence[dict[str, Any]]) -> None:
        self.size = len(docs)
        self.columns: dict[str, list[Any]] = {f: [d.get(f) for d in docs] for f in (*FILTER_FIELDS, *SORT_FIELDS)}
        self._masks: dict[Condition, np.ndarray] = {}
        self._filters: LRUCache[Filter, np.ndarray] = LRUCache(maxsize=256)

    def row(self, pos: int) -> dict[str, Any]:
        """The facts of one listing, as a document."""
        return {field: column[pos] for field, column in self.columns.items()}

    def _mask(self, condition: Condition) -> np.ndarray:
        found = self._masks.get(condition)
        if found is None:
            field, value = condition
            column = self.columns.get(field, [None] * self.size)
            found = np.fromiter((holds(have, value) for have in column), dtype=bool, count=self.size)
            self._masks[condition] = found
        return found

    def mask(self, flt: Filter) -> np.ndarray:
        """Which held listings pass the filter."""
        found = self._filters.get(flt)
        if found is None:
            found = np.ones(self.size, dtype=bool)
            for group in flt:
                either = np.zeros(self.size, dtype=bool)
                for condition in group:
                    either |= self._mask(condition)
                found &= either
            self._filters[flt] = found
        return found
