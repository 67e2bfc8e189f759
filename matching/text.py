"""Text relevance for the matcher: the same understanding and scoring as the search.

The offerings' texts are learned once per catalogue (`catalog.language.CatalogueText`:
BM25F over words, bigrams and concepts with the catalogue's statistics, typo correction
by sound against its words, scenarios learned from its labels). A need is read once
(`NeedText`): its corrected terms, every offering's relevance (1 for the best), and the
scenarios it speaks of. An offering's relevance is explained by the words it shares with
the need ("命中: …").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from threading import Lock

import numpy as np
from cachetools import LRUCache

from catalog.language import tokens
from catalog.language.lexical import Listing, Weighed
from catalog.language.query import CatalogueText, Relevance, Understanding
from matching.records import SolutionRecord

MEMO_SIZE = 4096  # need texts whose reading an index remembers
SCENARIOS_KEPT = 3  # scenarios a need is read as speaking of, at most


@dataclass
class TextMatch:
    """Relevance of one offering to one need, with the words that matched."""

    value: float
    matched: list[str]


@dataclass(frozen=True)
class NeedText:
    """A need's text as read against one catalogue."""

    understood: Understanding
    relevance: Relevance
    weighed: Weighed  # the understood terms, ready to explain offerings' scores

    @property
    def scenarios(self) -> tuple[tuple[str, float], ...]:
        """The scenarios the text speaks of, with shares summing to 1, best first."""
        found = self.relevance.scenarios[:SCENARIOS_KEPT]
        whole = sum(share for _, share in found)
        return tuple((s, share / whole) for s, share in found) if whole else ()


def listing(solution: SolutionRecord) -> Listing:
    """What the language model reads of an offering."""
    return Listing(key=solution.id, name=solution.name, keywords=solution.keywords,
                   description=solution.description, scenarios=solution.scenarios)


class TextIndex:
    """The offerings' text as learned, and needs read against it (remembered per text)."""

    def __init__(self, solutions: Sequence[SolutionRecord]) -> None:
        self.language = CatalogueText([listing(s) for s in solutions])
        self.size = len(solutions)
        self._memo: LRUCache[str, NeedText] = LRUCache(maxsize=MEMO_SIZE)
        self._lock = Lock()

    def read(self, text: str) -> NeedText:
        """A need's text understood and scored against every offering."""
        with self._lock:
            found = self._memo.get(text)
        if found is None:
            understood = self.language.understand(text)
            found = NeedText(understood, self.language.relevance(understood),
                             self.language.index.weigh(understood.terms))
            with self._lock:
                self._memo[text] = found
        return found

    def forget(self) -> None:
        """Forget every reading, as a new index starts."""
        with self._lock:
            self._memo.clear()

    def remembered(self, limit: int) -> list[str]:
        """Up to `limit` of the need texts read so far, the latest read last."""
        with self._lock:
            texts = list(self._memo)
        return texts[-limit:] if limit > 0 else []

    def relevance_all(self, need: NeedText) -> np.ndarray:
        """Relevance of every offering (by position) to the need, in [0, 1]."""
        return need.relevance.text

    def relevance(self, need: NeedText, position: int) -> TextMatch:
        """Relevance of the offering at `position`, as in `relevance_all`, with the matched words."""
        value = float(need.relevance.text[position]) if self.size else 0.0
        hits = self.language.index.matched(need.weighed, position)
        return TextMatch(value=value, matched=_display_terms(hits))


def _display_terms(hits: dict[str, float], limit: int = 4) -> list[str]:
    """The matched words worth showing: concepts by name, words before the bigrams inside them."""
    shown: list[str] = []
    for term, _ in sorted(hits.items(), key=lambda item: -item[1]):
        label = tokens.label(term)
        if term.startswith(tokens.GRAM) and any(label in s for s in shown):
            continue
        if not any(label in s or s in label for s in shown):
            shown.append(label)
        if len(shown) >= limit:
            break
    return shown
