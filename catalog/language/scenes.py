"""Which scenarios a text speaks of, learned from the catalogue's own labels.

Every listing is labelled with scenarios (its first one is its main one). A word that
listings of one scenario use far more than the others — 停机 in 设备管理运维, 对账 in
财务管理 — is a cue for that scenario, whatever words the hand lexicon knows. A text's
scenarios are its terms' lifts over the base rate, weighted by how telling each term is.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from catalog.language.lexical import LexicalIndex
from catalog.taxonomy import taxonomy

MAIN, OTHER = 1.0, 0.5  # how much a listing's main and further scenarios count
SMOOTHING = 2.0  # pseudo-listings of the base rate added to every term's counts


class ScenarioModel:
    """P(scenario | term) over the catalogue, smoothed towards the base rate."""

    def __init__(self, index: LexicalIndex) -> None:
        named = {s for listing in index.listings for s in listing.scenarios}
        names = list(taxonomy().scenarios) + sorted(named - set(taxonomy().scenarios))
        self.scenarios = names
        self._column = {s: i for i, s in enumerate(names)}
        labels = np.zeros((index.size, len(names)))
        most = max((len(listing.scenarios) for listing in index.listings), default=0)
        columns = np.full((index.size, most), -1, dtype=np.int64)
        for pos, listing in enumerate(index.listings):
            for rank, scenario in enumerate(listing.scenarios):
                labels[pos, self._column[scenario]] = MAIN if rank == 0 else OTHER
            for entry, scenario in enumerate(dict.fromkeys(listing.scenarios)):
                columns[pos, entry] = self._column[scenario]
        self.labels = labels
        whole = labels.sum()
        self.base = labels.sum(axis=0) / whole if whole else np.zeros(len(names))
        self._index = index
        # Every term's lift of P(scenario | term), smoothed, over the base rate, learnt at
        # once (a need or query then only looks its terms up)
        held = np.where(columns >= 0, labels[np.arange(index.size)[:, None], columns], 0.0)
        counts = index.per_term(columns, held, len(names))
        smoothed = (counts + SMOOTHING * self.base) / (counts.sum(axis=1, keepdims=True) + SMOOTHING)
        self._lift = np.maximum(smoothed - self.base, 0.0).astype(np.float32)

    def infer(self, query: Mapping[str, float]) -> np.ndarray:
        """A distribution over scenarios for weighted query terms (zeros when nothing tells)."""
        rows, weights = [], []
        for term, weight in query.items():
            row = self._index.row(term)
            if row is not None:
                rows.append(row)
                weights.append(weight * self._index.idf(term))
        if not rows:
            return np.zeros(len(self.scenarios))
        lift = np.asarray(weights) @ self._lift[rows].astype(np.float64)
        whole = lift.sum()
        return lift / whole if whole else lift

    def cue(self, term: str) -> np.ndarray | None:
        """How strongly a term is a cue for each scenario (its lift, weighted by its idf), or
        None for a term the catalogue does not hold."""
        row = self._index.row(term)
        return None if row is None else self._lift[row].astype(np.float64) * self._index.idf(term)

    def vector(self, scenarios: Mapping[str, float]) -> np.ndarray:
        """A {scenario: share} mapping as a vector over `scenarios` (unknown ones dropped)."""
        out = np.zeros(len(self.scenarios))
        for name, share in scenarios.items():
            if name in self._column:
                out[self._column[name]] += share
        return out

    def named(self, vector: np.ndarray, limit: int = 3) -> list[tuple[str, float]]:
        """The strongest scenarios of a distribution, with their shares."""
        order = np.argsort(-vector)[:limit]
        return [(self.scenarios[i], float(vector[i])) for i in order if vector[i] > 0]
