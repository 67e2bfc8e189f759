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
        for pos, listing in enumerate(index.listings):
            for rank, scenario in enumerate(listing.scenarios):
                labels[pos, self._column[scenario]] = MAIN if rank == 0 else OTHER
        self.labels = labels
        whole = labels.sum()
        self.base = labels.sum(axis=0) / whole if whole else np.zeros(len(names))
        self._index = index
        self._cache: dict[str, np.ndarray] = {}

    def of_term(self, term: str) -> np.ndarray:
        """Smoothed P(scenario | term), as a vector over `scenarios`."""
        found = self._cache.get(term)
        if found is None:
            postings = self._index.postings(term)
            counts = self.labels[postings[0]].sum(axis=0) if postings is not None else 0.0
            total = float(np.sum(counts))
            found = (counts + SMOOTHING * self.base) / (total + SMOOTHING)
            self._cache[term] = found
        return found

    def infer(self, query: Mapping[str, float]) -> np.ndarray:
        """A distribution over scenarios for weighted query terms (zeros when nothing tells)."""
        lift = np.zeros(len(self.scenarios))
        for term, weight in query.items():
            if self._index.knows(term):
                lift += weight * self._index.idf(term) * np.maximum(self.of_term(term) - self.base, 0.0)
        whole = lift.sum()
        return lift / whole if whole else lift

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
