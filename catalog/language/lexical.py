"""Lexical relevance over catalogue text with the catalogue's own statistics (BM25F).

Each listing has three fields — name, keywords, description — whose terms (`tokens`) are
counted with a field weight and normalised by the field's length, then saturated as BM25
does (k1, b per field): a term in the name counts more than one in the description, and a
long description does not win by repeating words. A term's weight is its idf over the
catalogue, so words every listing uses (系统, 管理, 企业) count for little without a stop
list, and a rare word (缸号, 槽电压) counts for much.

A listing's term counts are kept per text (`part_of`), numbered by the process's
`TERMS`, so learning a catalogue again after an edit is array work: the postings are one
flat table of (term, listing, impact) sorted by term, and a query's score for every
listing is one weighted sum over its terms' slices (numpy).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from threading import Lock

import numpy as np
from cachetools import LRUCache

from catalog.language import tokens

PARTS_KEPT = 65_536  # listings whose term counts are kept (a catalogue learned again reuses them)
EXPLAINED = 4096  # listings whose term impacts an index keeps for explaining scores


@dataclass(frozen=True)
class Listing:
    """What the lexical index reads of an offering."""

    key: str
    name: str
    keywords: tuple[str, ...]
    description: str
    scenarios: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fields:
    """BM25F parameters: field weights, length normalisation per field, saturation."""

    name: float = 3.0
    keywords: float = 2.0
    description: float = 1.0
    b_name: float = 0.3
    b_keywords: float = 0.5
    b_description: float = 0.75
    k1: float = 1.2

    def weights(self) -> np.ndarray:
        return np.array([self.name, self.keywords, self.description])

    def bs(self) -> np.ndarray:
        return np.array([self.b_name, self.b_keywords, self.b_description])


@dataclass(frozen=True)
class Weighed:
    """A query's terms that an index holds, by number (ascending), each with its weight ×
    idf and its place in the query: made once per query, used for every listing explained."""

    terms: tuple[str, ...]
    numbers: np.ndarray
    weights: np.ndarray
    places: np.ndarray


class Terms:
    """Every term the process has met, numbered once (it only grows; safe across threads)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        self._lock = Lock()

    def number(self, terms: Sequence[str]) -> np.ndarray:
        """The numbers of `terms`, numbering the new ones."""
        ids = self.ids
        if any(t not in ids for t in terms):
            with self._lock:
                for term in terms:
                    if term not in ids:
                        self.names.append(term)  # before the number is visible to readers
                        ids[term] = len(self.names) - 1
        return np.fromiter(map(ids.__getitem__, terms), dtype=np.int64, count=len(terms))


TERMS = Terms()


@dataclass(frozen=True)
class Part:
    """One listing's terms: numbers, counts per field (name, keywords, description), field
    lengths, and its words and concepts (no grams) for relevance feedback."""

    ids: np.ndarray
    counts: np.ndarray  # shape (3, len(ids))
    lengths: np.ndarray  # shape (3,)
    words: tuple[str, ...]
    word_ids: np.ndarray  # the numbers of `words`


@lru_cache(maxsize=PARTS_KEPT)
def part_of(name: str, keywords: tuple[str, ...], description: str) -> Part:
    """The terms of a listing's texts (cached by the texts)."""
    fields = [tokens.terms(text).every for text in (name, " ".join(keywords), description)]
    names = list(dict.fromkeys(t for field in fields for t in field))
    counts = np.array([[field.get(t, 0) for t in names] for field in fields], dtype=np.float32).reshape(3, -1)
    words = tuple(t for t in names if not t.startswith(tokens.GRAM))
    return Part(ids=TERMS.number(names), counts=counts, lengths=counts.sum(axis=1), words=words,
                word_ids=TERMS.number(words))


def _part(listing: Listing) -> Part:
    return part_of(listing.name, listing.keywords, listing.description)


class LexicalIndex:
    """BM25F postings over a list of listings, by position.

    Args:
        listings: the offerings, in the order scores are returned.
        fields: BM25F parameters.
    """

    def __init__(self, listings: Sequence[Listing], fields: Fields = Fields()) -> None:
        self.listings = list(listings)
        self.fields = fields
        self.size = len(self.listings)
        parts = [_part(listing) for listing in self.listings]
        lengths = np.array([p.lengths for p in parts]).reshape(-1, 3)
        averages = lengths.mean(axis=0) if self.size else np.ones(3)
        self._averages = np.where(averages > 0, averages, 1.0)
        self._words = [p.word_ids for p in parts]
        sizes = np.fromiter((len(p.ids) for p in parts), dtype=np.int64, count=self.size)
        ids = np.concatenate([p.ids for p in parts]) if parts else np.zeros(0, np.int64)
        counts = np.concatenate([p.counts for p in parts], axis=1) if parts else np.zeros((3, 0))
        docs = np.repeat(np.arange(self.size, dtype=np.int32), sizes)
        impacts = self._impacts(counts, lengths[docs].T if self.size else np.zeros((3, 0)))
        order = np.argsort(ids, kind="stable")
        ids, self._docs, self._impacts_sorted = ids[order], docs[order], impacts[order]
        starts = np.flatnonzero(np.diff(ids, prepend=-1)) if ids.size else np.zeros(0, np.int64)  # ids are sorted
        terms = ids[starts]
        self._starts, self._ends = starts, np.append(starts[1:], len(ids))
        self._row: dict[int, int] = dict(zip(terms.tolist(), range(len(terms)), strict=True))
        self._terms = terms
        self._df = self._ends - self._starts
        self._idf_rows = np.log1p((self.size - self._df + 0.5) / (self._df + 0.5))
        self._idf: dict[str, float] = {}  # remembered per term (needs and queries repeat words)
        self._own: LRUCache[int, tuple[np.ndarray, np.ndarray]] = LRUCache(maxsize=EXPLAINED)

    def _impacts(self, counts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """BM25F's saturated, field-weighted, length-normalised frequency per (term, listing)."""
        f = self.fields
        norm = 1.0 - f.bs()[:, None] + f.bs()[:, None] * lengths / self._averages[:, None]
        pseudo = (counts * f.weights()[:, None] / norm).sum(axis=0)
        return pseudo * (f.k1 + 1.0) / (pseudo + f.k1)

    def _slot(self, term: str) -> int | None:
        number = TERMS.ids.get(term)
        return None if number is None else self._row.get(number)

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The listings that have `term` and its impact in each, or None."""
        row = self._slot(term)
        if row is None:
            return None
        start, end = self._starts[row], self._ends[row]
        return self._docs[start:end], self._impacts_sorted[start:end]

    def df(self, term: str) -> int:
        """How many listings have the term."""
        row = self._slot(term)
        return 0 if row is None else int(self._df[row])

    def idf(self, term: str) -> float:
        """BM25's idf of a term over the catalogue (0 for a term no listing has)."""
        found = self._idf.get(term)
        if found is None:
            df = self.df(term)
            found = self._idf[term] = math.log1p((self.size - df + 0.5) / (df + 0.5)) if df else 0.0
        return found

    def knows(self, term: str) -> bool:
        return self._slot(term) is not None

    def row(self, term: str) -> int | None:
        """The term's row in `per_term` sums (None for a term no listing has)."""
        return self._slot(term)

    def per_term(self, columns: np.ndarray, values: np.ndarray, width: int) -> np.ndarray:
        """For each term (by `row`), the sum over the listings that have it of their sparse
        rows: listing i holds `values[i, j]` in column `columns[i, j]` (-1: none). Shape
        (terms, width); one pass over the postings per entry a listing may hold."""
        out = np.zeros(len(self._terms) * width, dtype=np.float64)
        if self._docs.size:
            rows = np.repeat(np.arange(len(self._terms)), self._df)
            for entry in range(columns.shape[1]):
                column = columns[self._docs, entry]
                held = column >= 0
                out += np.bincount(rows[held] * width + column[held], weights=values[self._docs[held], entry],
                                   minlength=out.size)
        return out.reshape(len(self._terms), width)

    def scores(self, query: Mapping[str, float]) -> np.ndarray:
        """BM25F score of every listing for weighted query terms (term → weight): one
        weighted count over the terms' postings."""
        rows, weights = [], []
        for term, weight in query.items():
            row = self._slot(term)
            if row is not None and weight:
                rows.append(row)
                weights.append(weight * self.idf(term))
        if not rows:
            return np.zeros(self.size, dtype=np.float64)
        starts, ends = self._starts[rows], self._ends[rows]
        spans = list(zip(starts.tolist(), ends.tolist(), strict=True))
        docs = np.concatenate([self._docs[a:b] for a, b in spans])
        impacts = np.concatenate([self._impacts_sorted[a:b] for a, b in spans])
        return np.bincount(docs, weights=impacts * np.repeat(weights, ends - starts), minlength=self.size)

    def weigh(self, query: Mapping[str, float]) -> Weighed:
        """The query's terms that the index holds, ready to explain many listings' scores."""
        held = sorted((TERMS.ids[term], place, term, weight * self.idf(term))
                      for place, (term, weight) in enumerate(query.items())
                      if term in TERMS.ids and self.idf(term))
        return Weighed(terms=tuple(item[2] for item in held),
                       numbers=np.array([item[0] for item in held], dtype=np.int64),
                       weights=np.array([item[3] for item in held], dtype=np.float64),
                       places=np.array([item[1] for item in held], dtype=np.int64))

    def matched(self, query: Mapping[str, float] | Weighed, pos: int) -> dict[str, float]:
        """What each query term adds to listing `pos`'s score (for explanations), in the
        query's order."""
        weighed = query if isinstance(query, Weighed) else self.weigh(query)
        ids, impacts = self._own_impacts(pos)
        if not ids.size or not weighed.numbers.size:
            return {}
        at = np.minimum(np.searchsorted(ids, weighed.numbers), ids.size - 1)
        hits = np.flatnonzero(ids[at] == weighed.numbers)
        hits = hits[np.argsort(weighed.places[hits])]
        values = weighed.weights[hits] * impacts[at[hits]]
        return {weighed.terms[i]: value for i, value in zip(hits.tolist(), values.tolist(), strict=True)}

    def _own_impacts(self, pos: int) -> tuple[np.ndarray, np.ndarray]:
        """Listing `pos`'s term numbers (ascending) and their impacts, remembered."""
        own = self._own.get(pos)
        if own is None:
            part = _part(self.listings[pos])
            impacts = self._impacts(part.counts, np.repeat(part.lengths[:, None], len(part.ids), axis=1))
            order = np.argsort(part.ids)
            own = self._own[pos] = (part.ids[order], impacts[order])
        return own

    def score_listing(self, query: Mapping[str, float], listing: Listing) -> float:
        """The score a listing not in the index (new or edited since) gets against this
        index's statistics: what `scores` would give it. A word no held listing has is as
        rare as a word can be."""
        return sum(self._contributions(query, self._impacts_of(listing), unseen=True).values())

    def _impacts_of(self, listing: Listing) -> dict[int, float]:
        """A listing's term numbers with their impacts against this index's field lengths."""
        part = _part(listing)
        impacts = self._impacts(part.counts, np.repeat(part.lengths[:, None], len(part.ids), axis=1))
        return dict(zip(part.ids.tolist(), impacts.tolist(), strict=True))

    def _contributions(self, query: Mapping[str, float], own: Mapping[int, float], *,
                       unseen: bool) -> dict[str, float]:
        out: dict[str, float] = {}
        for term, weight in query.items():
            impact = own.get(TERMS.ids.get(term, -1))
            if not impact:
                continue
            idf = self.idf(term) or (math.log1p((self.size + 0.5) / 0.5) if unseen else 0.0)
            if idf:
                out[term] = weight * idf * impact
        return out

    def shared_words(self, positions: Sequence[int], shares: Sequence[float], *, skip: Container[str],
                     count: int) -> list[tuple[str, float]]:
        """The `count` words and concepts (no grams) that the listings at `positions` have
        most in common: each listing's words weighted by its share and each word by its
        idf, best first, ties by word. A word of one listing only, or in `skip`, is left out."""
        held = [self._words[p] for p in positions]
        if not held or not sum(len(ids) for ids in held):
            return []
        rows = np.searchsorted(self._terms, np.concatenate(held))  # a listing's words are all held
        weights = np.repeat(np.asarray(shares, dtype=np.float64), [len(ids) for ids in held]) * self._idf_rows[rows]
        wanted = self._df[rows] >= 2
        found, where = np.unique(rows[wanted], return_inverse=True)
        mass = np.bincount(where, weights=weights[wanted], minlength=len(found))
        names = TERMS.names
        ranked = [(names[number], float(m)) for number, m in zip(self._terms[found].tolist(), mass.tolist(), strict=True)]
        return heapq.nsmallest(count, (item for item in ranked if item[0] not in skip),
                               key=lambda item: (-item[1], item[0]))

    def usage(self) -> dict[str, int]:
        """The catalogue's words (no grams or concepts) with how many listings use each."""
        names = TERMS.names
        out: dict[str, int] = {}
        for number, df in zip(self._terms.tolist(), self._df.tolist(), strict=True):
            name = names[number]
            if not name.startswith((tokens.GRAM, tokens.CONCEPT)):
                out[name] = df
        return out
