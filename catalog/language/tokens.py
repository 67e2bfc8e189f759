"""Text as weighted index terms: jieba words, character bigrams, Latin words, concepts.

Every text — a listing's name, keywords and description, a query, a need — goes through
the same `terms`, so what a query asks for and what a listing offers are counted alike:

- words: jieba search-mode words (the domain dictionary loaded), compounds and their parts;
- grams: character bigrams of each Chinese run, robust to compounds jieba keeps whole and to
  words jieba has never seen;
- latin: Latin words and codes (mes, 5g, iso9001);
- concepts: one token per synonym group named (MES ≡ 制造执行系统), so a listing that says
  制造执行系统 answers a query for MES.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from catalog.language.segment import search_words
from catalog.language.synonyms import synonyms
from catalog.language.text import normalize

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
LATIN = re.compile(r"[a-z0-9][a-z0-9+.\-]*[a-z0-9+]|[a-z]")
CONCEPT = "§"  # the prefix of a concept token: §<group index>
GRAM = "²"  # the prefix of a bigram token, so a two-character word and a bigram stay apart


@dataclass(frozen=True)
class TextTerms:
    """The terms of one text, each kind counted (term → occurrences)."""

    words: Counter[str]
    grams: Counter[str]
    concepts: Counter[str]
    every: dict[str, int]  # words, grams and concepts together (they never share a key)


def cjk_runs(norm: str) -> list[str]:
    """The runs of Chinese characters in a normalised text."""
    return CJK_RUN.findall(norm)


@lru_cache(maxsize=100_000)
def words(norm: str) -> tuple[str, ...]:
    """jieba search-mode words of the Chinese runs and the Latin words of a normalised text,
    in order, repeats kept. Single Chinese characters are left to the bigrams."""
    out: list[str] = []
    for run in cjk_runs(norm):
        out.extend(w for w in search_words(run) if len(w) >= 2)
    out.extend(m.group(0) for m in LATIN.finditer(norm))
    return tuple(out)


def grams(norm: str) -> list[str]:
    """Character bigrams of each Chinese run (a lone character is its own gram)."""
    out: list[str] = []
    for run in cjk_runs(norm):
        if len(run) == 1:
            out.append(GRAM + run)
        out.extend(GRAM + run[i:i + 2] for i in range(len(run) - 1))
    return out


def concepts(norm: str) -> list[str]:
    """One concept token per synonym-group mention (leftmost-longest, Latin as whole words)."""
    return [f"{CONCEPT}{group.index}" for _term, group in synonyms().find(norm)]


@lru_cache(maxsize=100_000)
def terms(text: str) -> TextTerms:
    """The terms of a text (folded here: 繁→简, width, case). Do not mutate the result."""
    norm = normalize(text)
    found = Counter(words(norm)), Counter(grams(norm)), Counter(concepts(norm))
    return TextTerms(*found, every={k: v for kind in found for k, v in kind.items()})


def label(term: str) -> str:
    """How a term reads to a user: a concept by its group's first term, a gram as itself."""
    if term.startswith(CONCEPT):
        return synonyms().groups[int(term[1:])].canonical
    return term.removeprefix(GRAM)
