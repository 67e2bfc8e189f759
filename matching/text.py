"""Text relevance: how much of what a need says an offering's text covers.

A text becomes weighted *terms*: jieba words (catalog.segment, with the domain
dictionary), character bigrams of every Chinese run (robust to typos and to compounds
jieba keeps whole), Latin words, and one token per
synonym group of catalog.synonyms (MES ≡ 制造执行系统). A pain-point text is widened
with the product words of catalog.lexicon (停机 → 设备, 点检 …) at a low weight.

Relevance of an offering to a query = the share of the query's idf-weighted term mass
found in the offering, each term counted at the weight of the best field it occurs in
(name > keywords > description). It lies in [0, 1] and is explainable ("命中: …").
An inverted index gives it for every offering at once (numpy), for candidate pruning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from threading import Lock

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from catalog.lexicon import expand_terms
from catalog.segment import search_words
from catalog.synonyms import synonyms
from catalog.text import normalize
from matching.records import SolutionRecord

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-z0-9][a-z0-9+.\-]*[a-z0-9+]|[a-z]")
_STOP = frozenset(
    "我们 我 你们 他们 想 想要 要 需要 希望 一个 一下 老是 总是 还是 都是 就是 现在 目前 "
    "什么 怎么 这个 那个 可以 能够 没有 不是 不知 不知道 知道 经常 每个 每天 全靠 靠 "
    "问题 一些 这些 那些 还有 以及 并且 另外 顺便 同时 自己 好几 半天 一直 实现 进行 提供 支持".split()
)
WORD_WEIGHT, BIGRAM_WEIGHT, SYNONYM_WEIGHT, EXPANSION_WEIGHT = 1.0, 0.5, 1.5, 0.35
TYPO_WEIGHT = 0.8
MEMO_SIZE = 4096  # queries whose postings an index remembers


@lru_cache(maxsize=200_000)
def _words(norm: str) -> tuple[str, ...]:
    """jieba words (search mode) and Latin words of a normalised text, stop words dropped."""
    out: list[str] = []
    for run in _CJK_RUN.findall(norm):
        out.extend(w for w in search_words(run) if len(w) >= 2 and w not in _STOP)
    out.extend(m.group(0) for m in _LATIN.finditer(norm) if len(m.group(0)) >= 2)
    return tuple(out)


def _bigrams(norm: str) -> list[str]:
    grams: list[str] = []
    for run in _CJK_RUN.findall(norm):
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


@lru_cache(maxsize=1)
def _synonym_starts() -> dict[str, tuple[tuple[str, int], ...]]:
    """Synonym terms by first character, longest first (as the table's own pattern tries them)."""
    starts: dict[str, list[tuple[str, int]]] = {}
    for term, group in synonyms().by_term.items():
        starts.setdefault(term[0], []).append((term, group.index))
    return {c: tuple(sorted(ts, key=lambda t: -len(t[0]))) for c, ts in starts.items()}


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _synonym_tokens(norm: str) -> list[str]:
    """One token per synonym group named in the text: the same leftmost-longest scan as
    SynonymTable.find (Latin terms only as whole words), without a giant regex per call."""
    starts = _synonym_starts()
    found: dict[int, None] = {}
    i = 0
    while i < len(norm):
        hit = None
        if i == 0 or not (_is_word_char(norm[i]) and _is_word_char(norm[i - 1])):
            for term, index in starts.get(norm[i], ()):
                end = i + len(term)
                if norm.startswith(term, i) and not (
                        end < len(norm) and _is_word_char(term[-1]) and _is_word_char(norm[end])):
                    hit = (term, index)
                    break
        if hit is None:
            i += 1
        else:
            found.setdefault(hit[1])
            i += len(hit[0])
    return [f"§{index}" for index in found]


@lru_cache(maxsize=100_000)
def text_terms(text: str) -> dict[str, float]:
    """The weighted terms of a piece of text (no widening), term → weight (do not mutate)."""
    norm = normalize(text)
    terms: dict[str, float] = {}
    for gram in _bigrams(norm):
        terms[gram] = BIGRAM_WEIGHT
    for word in _words(norm):
        terms[word] = WORD_WEIGHT
    for token in _synonym_tokens(norm):
        terms[token] = SYNONYM_WEIGHT
    return terms


def query_terms(text: str) -> dict[str, float]:
    """The weighted terms of a need or query, widened with the lexicon's product words."""
    terms = dict(text_terms(text))
    for phrase in expand_terms(text):
        for term, weight in text_terms(phrase).items():
            terms.setdefault(term, weight * EXPANSION_WEIGHT / WORD_WEIGHT)
    return terms


@lru_cache(maxsize=8192)
def _solution_terms_cached(name: str, keywords: tuple[str, ...], description: str,
                           field_weights: tuple[float, float, float]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for text, fw in zip((name, " ".join(keywords), description), field_weights, strict=True):
        for term in text_terms(text):
            if fw > weights.get(term, 0.0):
                weights[term] = fw
    return weights


def solution_terms(solution: SolutionRecord,
                   field_weights: tuple[float, float, float]) -> dict[str, float]:
    """Term → weight of the best field (name, keywords, description) it occurs in."""
    return _solution_terms_cached(solution.name, solution.keywords, solution.description,
                                  field_weights)


class Vocabulary:
    """Every term the process has indexed, numbered once: an offering's terms are kept as
    an array of these numbers, so a rebuilt index only concatenates arrays.

    It grows with the words of the catalogue's texts (an edit adds only its new words),
    never shrinks, and is safe to share between threads.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []
        self._lock = Lock()

    def intern(self, terms: list[str]) -> np.ndarray:
        """The numbers of `terms`, numbering the new ones."""
        ids = self.ids
        if any(t not in ids for t in terms):
            with self._lock:
                for term in terms:
                    if term not in ids:
                        self.terms.append(term)  # before the number is visible to readers
                        ids[term] = len(self.terms) - 1
        return np.fromiter(map(ids.__getitem__, terms), dtype=np.int32, count=len(terms))


VOCABULARY = Vocabulary()


@lru_cache(maxsize=32_768)
def _solution_postings(name: str, keywords: tuple[str, ...], description: str,
                       field_weights: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """An offering's terms as (vocabulary numbers, weights), cached by its texts."""
    weights = _solution_terms_cached(name, keywords, description, field_weights)
    return VOCABULARY.intern(list(weights)), np.fromiter(weights.values(), dtype=np.float32,
                                                         count=len(weights))


@dataclass
class TextMatch:
    """Relevance of one offering to one query, with the words that matched."""

    value: float
    matched: list[str]


class TextIndex:
    """An inverted index of offerings' terms with idf, for relevance over all offerings at once."""

    def __init__(self, solutions: Sequence[SolutionRecord],
                 field_weights: tuple[float, float, float] = (1.0, 0.9, 0.55)) -> None:
        self.field_weights = field_weights
        self.size = len(solutions)
        # One flat table of (term, offering, weight) sorted by term: a term's postings are a
        # slice of it. Each offering's part comes cached from its texts, so a rebuild after
        # an edit is array work (one small array per term cost more than all the rest).
        parts = [_solution_postings(s.name, s.keywords, s.description, field_weights)
                 for s in solutions]
        lengths = np.fromiter((len(ids) for ids, _ in parts), dtype=np.int64, count=len(parts))
        terms = np.concatenate([ids for ids, _ in parts]) if parts else np.zeros(0, np.int32)
        order = np.argsort(terms)  # a term's postings need no order among themselves
        terms = terms[order]
        self._docs = np.repeat(np.arange(self.size, dtype=np.int32), lengths)[order]
        self._weights = (np.concatenate([w for _, w in parts]) if parts
                         else np.zeros(0, np.float32))[order]
        starts = np.flatnonzero(np.diff(terms, prepend=-1))  # where each term's slice begins
        self._terms = terms[starts]
        self._starts = starts
        self._ends = np.append(starts[1:], len(terms))
        df = self._ends - starts
        self._idf = np.log1p((self.size - df + 0.5) / (df + 0.5))
        rows = np.full(len(VOCABULARY.terms), -1, dtype=np.int32)
        rows[self._terms] = np.arange(len(self._terms), dtype=np.int32)
        self._rows: list[int] = rows.tolist()  # term number → row (a list: read per term)
        self._words: list[str] | None = None
        self._corrections: dict[str, tuple[str, ...]] = {}
        self._memo: dict[tuple[tuple[str, float], ...], dict[str, tuple[int, int, float]]] = {}

    def _slots(self, terms: Sequence[str]) -> list[int]:
        """Each term's row in this index's term table, -1 when no offering has it."""
        rows, ids = self._rows, VOCABULARY.ids
        numbers = [ids.get(t, -1) for t in terms]
        return [rows[n] if 0 <= n < len(rows) else -1 for n in numbers]  # newer terms: absent

    def corrections(self, word: str) -> tuple[str, ...]:
        """Catalogue words one character away from an unknown word of 3+ characters (a typo:
        进消存 → 进销存); none for shorter words, where one character changes the meaning."""
        if len(word) < 3 or not _CJK_RUN.fullmatch(word) or self._slots([word])[0] >= 0:
            return ()
        if word not in self._corrections:
            if self._words is None:
                names = VOCABULARY.terms
                self._words = [t for t in map(names.__getitem__, self._terms.tolist())
                               if len(t) >= 3 and _CJK_RUN.fullmatch(t)]
            found = process.extract(word, self._words, scorer=Levenshtein.distance,
                                    processor=None, score_cutoff=1, limit=3)
            self._corrections[word] = tuple(
                w for w, dist, _ in found if dist == 1 and len(w) == len(word))
        return self._corrections[word]

    def _postings(self, terms: dict[str, float]) -> dict[str, tuple[int, int, float]]:
        """Query terms the catalogue knows: term → (its postings' slice, mass = query weight ×
        idf); an unknown word counts through its typo corrections at a lower weight.
        Remembered per query (a need is scored against several offerings); do not mutate."""
        key = tuple(terms.items())
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = self._look_up(terms)
        return found

    def _look_up(self, terms: dict[str, float]) -> dict[str, tuple[int, int, float]]:
        weights = dict(terms)
        for term, weight in terms.items():
            for fixed in self.corrections(term):
                weights.setdefault(fixed, weight * TYPO_WEIGHT)
        names = list(weights)
        slots = self._slots(names)
        found = [(n, s) for n, s in zip(names, slots, strict=True) if s >= 0]
        rows = np.asarray([s for _, s in found], dtype=np.int64)
        starts, ends = self._starts[rows].tolist(), self._ends[rows].tolist()
        masses = (np.asarray([weights[n] for n, _ in found]) * self._idf[rows]).tolist()
        return {n: (a, b, m) for (n, _), a, b, m in zip(found, starts, ends, masses, strict=True)}

    def known(self, terms: dict[str, float]) -> dict[str, float]:
        """Query terms the catalogue knows, each with its mass (query weight × idf);
        an unknown word counts through its typo corrections at a lower weight."""
        return {t: mass for t, (_, _, mass) in self._postings(terms).items()}

    def relevance_all(self, terms: dict[str, float]) -> np.ndarray:
        """Relevance of every offering (by position) to the query terms, in [0, 1]."""
        postings = self._postings(terms).values()
        whole = sum(mass for _, _, mass in postings)
        if not whole:
            return np.zeros(self.size, dtype=np.float64)
        docs = np.concatenate([self._docs[a:b] for a, b, _ in postings])
        weights = np.concatenate([self._weights[a:b] * (m / whole) for a, b, m in postings])
        return np.bincount(docs, weights=weights, minlength=self.size)

    def relevance(self, terms: dict[str, float], solution: SolutionRecord) -> TextMatch:
        """Relevance of one offering, equal to `relevance_all` at its position, with matched words."""
        mass = self.known(terms)
        whole = sum(mass.values())
        own = solution_terms(solution, self.field_weights)
        hits = {t: m * own[t] for t, m in mass.items() if t in own}
        value = sum(hits.values()) / whole if whole else 0.0
        return TextMatch(value=min(1.0, value), matched=_display_terms(hits))


def _display_terms(hits: dict[str, float], limit: int = 4) -> list[str]:
    """The matched words worth showing: synonym groups by name, words before bigrams."""
    table = synonyms()
    shown: list[str] = []
    for term, _ in sorted(hits.items(), key=lambda item: -item[1]):
        label = table.groups[int(term[1:])].terms[0] if term.startswith("§") else term
        if term.startswith("§") or len(term) > 2 or not _is_bigram_only(term, hits):
            if not any(label in s or s in label for s in shown):
                shown.append(label)
        if len(shown) >= limit:
            break
    return shown


def _is_bigram_only(term: str, hits: Iterable[str]) -> bool:
    return any(term != other and term in other for other in hits if not other.startswith("§"))
