"""Lexical relevance over catalogue text with the catalogue's own statistics (BM25F).

Each listing has three fields — name, keywords, description — whose terms (`tokens`) are
counted with a field weight and normalised by the field's length, then saturated as BM25
does (k1, b per field): a term in the name counts more than one in the description, and a
long description does not win by repeating words. A term's weight is its idf over the
catalogue, so words every listing uses (系统, 管理, 企业) count for little without a stop
list, and a rare word (缸号, 槽电压) counts for much.

The postings keep each (term, listing) pair's BM25 impact, so a query's score for every
listing at once is one weighted sum over its terms' postings (numpy).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from cachetools import LRUCache

from catalog.language import tokens

EXPLAINED = 4096  # listings whose weighted terms are kept for explaining their scores


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


def _field_texts(listing: Listing) -> tuple[str, str, str]:
    return listing.name, " ".join(listing.keywords), listing.description


@dataclass
class _Postings:
    docs: np.ndarray  # listing positions
    impacts: np.ndarray  # BM25 impact of the term in each (idf not included)


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
        counted = [self._counts(listing) for listing in self.listings]
        lengths = np.array([[sum(c.values()) for c in doc] for doc in counted], dtype=np.float64)
        averages = lengths.mean(axis=0) if self.size else np.ones(3)
        averages[averages == 0] = 1.0
        self._averages = averages.tolist()
        pseudo: dict[str, dict[int, float]] = {}
        for pos, doc in enumerate(counted):
            for term, tf in self._pseudo_tf(doc).items():
                pseudo.setdefault(term, {})[pos] = tf
        self._words = [tuple(t for t in set().union(*doc) if not t.startswith(tokens.GRAM))
                       for doc in counted]
        self._postings: dict[str, _Postings] = {}
        self._explained: LRUCache[int, dict[str, float]] = LRUCache(maxsize=EXPLAINED)
        self.df: dict[str, int] = {}
        k1 = fields.k1
        for term, row in pseudo.items():
            frequencies = np.fromiter(row.values(), dtype=np.float64, count=len(row))
            self._postings[term] = _Postings(
                docs=np.fromiter(row.keys(), dtype=np.int32, count=len(row)),
                impacts=frequencies * (k1 + 1.0) / (frequencies + k1))
            self.df[term] = len(row)

    @staticmethod
    def _counts(listing: Listing) -> list[dict[str, int]]:
        return [tokens.terms(text).every for text in _field_texts(listing)]

    def _pseudo_tf(self, doc: list[dict[str, int]]) -> dict[str, float]:
        """BM25F's field-weighted, length-normalised term frequency of one listing."""
        f = self.fields
        out: dict[str, float] = {}
        for counts, weight, b, average in zip(doc, (f.name, f.keywords, f.description),
                                              (f.b_name, f.b_keywords, f.b_description), self._averages,
                                              strict=True):
            scale = weight / (1.0 - b + b * sum(counts.values()) / average)
            for term, tf in counts.items():
                out[term] = out.get(term, 0.0) + tf * scale
        return out

    def idf(self, term: str) -> float:
        """BM25's idf of a term over the catalogue (0 for a term no listing has)."""
        df = self.df.get(term, 0)
        if not df:
            return 0.0
        return math.log1p((self.size - df + 0.5) / (df + 0.5))

    def knows(self, term: str) -> bool:
        return term in self.df

    def scores(self, query: Mapping[str, float]) -> np.ndarray:
        """BM25F score of every listing for weighted query terms (term → weight)."""
        out = np.zeros(self.size, dtype=np.float64)
        for term, weight in query.items():
            found = self._postings.get(term)
            if found is not None and weight:
                out[found.docs] += weight * self.idf(term) * found.impacts
        return out

    def matched(self, query: Mapping[str, float], pos: int) -> dict[str, float]:
        """What each query term adds to listing `pos`'s score (for explanations)."""
        pseudo = self._explained.get(pos)
        if pseudo is None:
            pseudo = self._explained[pos] = self._pseudo_tf(self._counts(self.listings[pos]))
        return self._contributions(query, pseudo)

    def score_listing(self, query: Mapping[str, float], listing: Listing) -> float:
        """The score a listing not in the index (new or edited since) gets against this
        index's statistics: what `scores` would give it. A word no held listing has is as
        rare as a word can be."""
        return sum(self._contributions(query, self._pseudo_tf(self._counts(listing)), unseen=True).values())

    def _contributions(self, query: Mapping[str, float], pseudo: Mapping[str, float], *,
                       unseen: bool = False) -> dict[str, float]:
        k1 = self.fields.k1
        out: dict[str, float] = {}
        for term, weight in query.items():
            tf = pseudo.get(term)
            if not tf:
                continue
            idf = self.idf(term) or (math.log1p((self.size + 0.5) / 0.5) if unseen else 0.0)
            if idf:
                out[term] = weight * idf * tf * (k1 + 1.0) / (tf + k1)
        return out

    def listing_words(self, pos: int) -> tuple[str, ...]:
        """The words and concepts of listing `pos` (no grams)."""
        return self._words[pos]

    def words(self) -> Iterable[str]:
        """The catalogue's words (no grams or concepts), for typo correction."""
        return (t for t in self.df if not t.startswith((tokens.GRAM, tokens.CONCEPT)))
