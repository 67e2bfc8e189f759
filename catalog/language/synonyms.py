"""The domain synonym table (catalog/data/synonyms.json): groups of terms that mean the same.

Terms are matched on normalised text (catalog.language.text.normalize). Latin terms (MES, WMS …)
match only as whole words, so `ems` is not found inside `mes` or `systems`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from catalog.language.text import normalize

_DATA = Path(__file__).resolve().parents[1] / "data" / "synonyms.json"


@dataclass(frozen=True)
class SynonymGroup:
    """One group: `canonical` is its first term; `scenario` the taxonomy scenario, if any."""

    index: int
    terms: tuple[str, ...]
    scenario: str | None

    @property
    def canonical(self) -> str:
        return self.terms[0]


_LATIN = re.compile(r"[a-z0-9]")


def _is_latin(char: str) -> bool:
    return bool(char) and _LATIN.match(char) is not None


def _bounded(text: str, start: int, term: str) -> bool:
    """A Latin term matches only as a whole word (not `ems` inside `mes` or `systems`)."""
    if _is_latin(term[0]) and start > 0 and _is_latin(text[start - 1]):
        return False
    end = start + len(term)
    return not (_is_latin(term[-1]) and end < len(text) and _is_latin(text[end]))


@dataclass(frozen=True)
class SynonymTable:
    groups: tuple[SynonymGroup, ...]
    by_term: dict[str, SynonymGroup]
    by_first: dict[str, tuple[str, ...]]  # first character → terms, longest first

    def find(self, text: str) -> list[tuple[str, SynonymGroup]]:
        """The (term, group) pairs whose term occurs in `text` (normalised here), scanning left
        to right and taking the longest term at each position, without overlaps."""
        text = normalize(text)
        found: list[tuple[str, SynonymGroup]] = []
        by_first, pos, size = self.by_first, 0, len(text)
        while pos < size:
            for term in by_first.get(text[pos], ()):
                if text.startswith(term, pos) and _bounded(text, pos, term):
                    found.append((term, self.by_term[term]))
                    pos += len(term)
                    break
            else:
                pos += 1
        return found

    def groups_in(self, text: str) -> list[SynonymGroup]:
        """The distinct groups mentioned in `text`, in order of first mention."""
        seen: dict[int, SynonymGroup] = {}
        for _term, group in self.find(text):
            seen.setdefault(group.index, group)
        return list(seen.values())

    def expand(self, text: str) -> list[str]:
        """Every term of every group mentioned in `text` (for indexing the expansion)."""
        return [term for group in self.groups_in(text) for term in group.terms]


@cache
def synonyms() -> SynonymTable:
    """Load and check the table: a term may belong to one group only."""
    raw = json.loads(_DATA.read_text("utf-8"))
    groups: list[SynonymGroup] = []
    by_term: dict[str, SynonymGroup] = {}
    for index, item in enumerate(raw["groups"]):
        terms = tuple(dict.fromkeys(normalize(t) for t in item["terms"] if normalize(t)))
        group = SynonymGroup(index=index, terms=terms, scenario=item.get("scenario"))
        for term in terms:
            if term in by_term:
                raise ValueError(f"synonym term {term!r} is in two groups")
            by_term[term] = group
        groups.append(group)
    by_first: dict[str, list[str]] = {}
    for term in sorted(by_term, key=len, reverse=True):
        by_first.setdefault(term[0], []).append(term)
    return SynonymTable(groups=tuple(groups), by_term=by_term,
                        by_first={k: tuple(v) for k, v in by_first.items()})
