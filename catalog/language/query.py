"""A query (or a need) understood once: folded, corrected, weighted terms, scenarios.

`CatalogueText` bundles what is learned from one catalogue — the lexical index, the typo
corrector over its words, the scenario model over its labels — and answers the two
questions search and matching both ask: what does this text ask for (`understand`), and
how well does each listing answer it (`relevance`).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, reduce
from pathlib import Path

import numpy as np

from catalog.language import segment, tokens
from catalog.language.lexical import Fields, LexicalIndex, Listing
from catalog.language.lexicon import infer_scenarios
from catalog.language.scenes import MAIN, OTHER, ScenarioModel
from catalog.language.text import normalize
from catalog.language.typos import Correction, TypoCorrector

LIFT = 1.5  # how much more often than chance a correction must meet another word of the text
# Words that join two requests in one sentence (想上 MES，顺便把设备联网): each part is a need
# of its own. Only coordinators: 还要 and 也 are left out, they as often mean "still" inside one.
_JOINED = re.compile("同时|顺便|另外|此外|并且|以及|而且|再加上")


@dataclass(frozen=True)
class Weights:
    """How much each kind of term and each signal counts."""

    word: float = 1.0
    part: float = 0.5  # a word inside a longer word of the text (供应 of 供应商): the span counted once more, at this
    gram: float = 0.3
    concept: float = 1.2
    near: float = 0.6  # a near-homophone correction's terms, beside what was typed
    scenario: float = 0.3  # the scenario prior, on a scale where the best text match is 1
    vote_depth: int = 10  # top listings whose scenarios vote on what the query is about
    vote_share: float = 0.5  # the vote's part in the scenario distribution (the rest: the terms)
    feedback: float = 0.5  # weight of the words the best listings share (pseudo-relevance feedback)
    feedback_depth: int = 3  # listings read for feedback
    feedback_terms: int = 16  # words added
    feedback_words: int = 2  # a listing lends feedback only when it has this many of the query's words
    coherence: float = 0.5  # in a long text, the least share a term keeps whose scenarios the rest does not share
    coherent_words: int = 10  # a text of this many known words or more is long (a story, a report)
    joined: float = 0.85  # in a short text of several requests, a listing best for one of them scores at least this
    fields: Fields = field(default_factory=Fields)


@dataclass(frozen=True)
class Understanding:
    """What a text asks for."""

    raw: str
    text: str  # folded and corrected
    terms: dict[str, float]  # weighted index terms
    corrections: tuple[Correction, ...]

    @property
    def words(self) -> list[str]:
        """The plain words of the query (for highlighting and the engine's key terms)."""
        return [t for t in self.terms if not t.startswith((tokens.GRAM, tokens.CONCEPT))]


@dataclass
class Relevance:
    """Every listing's relevance to one query, by position, and why."""

    text: np.ndarray  # lexical score, 1 for the best listing
    scenario: np.ndarray  # the scenario prior's part, in [0, 1]
    scenarios: list[tuple[str, float]]  # what the query is about, best first
    terms: dict[str, float] = field(default_factory=dict)  # the query's terms and the feedback's
    best: float = 0.0  # the best raw score (what `text` is divided by)
    about: np.ndarray | None = None  # the scenario distribution
    # a short text of several requests: each request's terms and its best raw score
    requests: tuple[tuple[dict[str, float], float], ...] = ()

    def without_arrays(self) -> Relevance:
        """This relevance without the per-listing arrays: enough to score a listing the
        index does not hold (`CatalogueText.total_new`), small enough to keep."""
        return Relevance(text=np.zeros(0), scenario=np.zeros(0), scenarios=self.scenarios, terms=self.terms,
                         best=self.best, about=self.about, requests=self.requests)

    def total(self, weight: float) -> np.ndarray:
        """Text evidence first: the scenario prior (at `weight`) only for listings with text support."""
        return np.where(self.text > 0, self.text + weight * self.scenario, 0.0)


def _parts(words: Iterable[str]) -> list[str]:
    """The words that are inside a longer word of the same text (search mode cuts 供应商 into
    供应 and 供应商 as well): matching them again adds little the longer one did not say."""
    unique = list(dict.fromkeys(words))
    return [w for w in unique if any(w != other and w in other for other in unique)]


def best_first(values: np.ndarray, count: int) -> np.ndarray:
    """The positions of the `count` highest values, highest first (no full sort)."""
    if count >= values.size:
        return np.argsort(-values, kind="stable")
    top = np.argpartition(-values, count - 1)[:count]
    return top[np.argsort(-values[top], kind="stable")]


@cache
def dictionary_words() -> frozenset[str]:
    """The domain dictionary's words (catalog/data/dictionary.txt)."""
    path = Path(segment.__file__).resolve().parents[1] / "data" / "dictionary.txt"
    return frozenset(line.split()[0] for line in path.read_text("utf-8").splitlines() if line.strip())


class CatalogueText:
    """What one catalogue's text teaches: statistics, vocabulary, scenario cues."""

    def __init__(self, listings: Sequence[Listing], weights: Weights = Weights()) -> None:
        self.weights = weights
        self.index = LexicalIndex(listings, weights.fields)
        usage = self.index.usage()
        for word in dictionary_words():
            usage.setdefault(normalize(word), 1)
        self.corrector = TypoCorrector(usage)
        self.scenes = ScenarioModel(self.index)

    def understand(self, text: str, *, correct: bool = True, known: Container[str] = ()) -> Understanding:
        """Fold, correct suspect words by sound (unless not to), and weight the terms of
        `text`. A word in `known` (text the catalogue holds besides what was learnt) is
        never corrected."""
        norm = normalize(text)
        cut = segment.words(norm)
        fixes = [f for f in self.corrector.correct(norm, cut)
                 if f.typed not in known and self._fits(f, cut)] if correct else []
        fixed = norm
        for fix in fixes:
            if not fix.near:
                fixed = fixed.replace(fix.typed, fix.corrected)
        terms = self._weighted(fixed, 1.0)
        for fix in fixes:
            if fix.near:
                for term, weight in self._weighted(fix.corrected, self.weights.near).items():
                    terms.setdefault(term, weight)
        return Understanding(raw=text, text=fixed, terms=terms, corrections=tuple(fixes))

    def _fits(self, fix: Correction, cut: Sequence[str]) -> bool:
        """Does the corrected word go with the rest of the text? With no other word the
        catalogue knows, nothing says no. Otherwise the listings that use the corrected word
        (or its parts) must use the text's most telling other word too, or another of its
        words more often than chance (质量 + 追溯 do; 设备老是停机 + 老师 do not)."""
        others = [w for w in dict.fromkeys(cut) if len(w) >= 2 and w not in fix.typed and fix.typed not in w
                  and self.index.knows(w)]
        if not others:
            return True
        mine = self._listings_of(fix.corrected)
        if not mine.size:
            return False
        size = max(1, self.index.size)
        telling = max(others, key=self.index.idf)
        for word in others:
            theirs = self._listings_of(word)
            together = np.intersect1d(mine, theirs, assume_unique=True).size
            if together and (word == telling or together >= LIFT * mine.size * theirs.size / size):
                return True
        return False

    def _listings_of(self, word: str) -> np.ndarray:
        """The listings (positions, ascending) that use a word, or (for a word no listing
        has) all of its parts."""
        found = self.index.postings(word)
        if found is not None:
            return found[0]
        parts = [self.index.postings(p) for p in segment.search_words(word) if p != word and len(p) >= 2]
        held = [p[0] for p in parts if p is not None]
        if not held:
            return np.zeros(0, dtype=np.int32)
        return reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True), held)

    def _weighted(self, text: str, scale: float) -> dict[str, float]:
        found = tokens.terms(text)
        w = self.weights
        terms: dict[str, float] = {}
        for kind, weight in ((found.grams, w.gram), (found.words, w.word), (found.concepts, w.concept)):
            for term in kind:
                terms[term] = max(terms.get(term, 0.0), weight * scale)
        for part in _parts(found.words):
            terms[part] *= w.part
        return terms

    def relevance(self, query: Understanding) -> Relevance:
        """Lexical relevance of every listing, widened by what the best listings share, and
        the scenario prior learned for the query."""
        terms = self._coherent(query.terms)
        raw = self.index.scores(terms)
        widened = self._feedback(terms, raw)
        if widened:
            raw = raw + self.index.scores(widened)
        best = float(raw.max()) if raw.size else 0.0
        text = raw / best if best > 0 else raw
        requests = self._requests(query, terms)
        for _, top, scores in requests:
            text = np.maximum(text, self.weights.joined * scores / top)
        about = self._about(query, raw, text)
        prior = self.scenes.labels @ about if about.size else np.zeros(self.index.size)
        return Relevance(text=text, scenario=np.minimum(prior, 1.0), scenarios=self.scenes.named(about),
                         terms={**widened, **terms}, best=best, about=about,
                         requests=tuple((request_terms, top) for request_terms, top, _ in requests))

    def totals(self, relevance: Relevance) -> np.ndarray:
        """Every listing's score for the query: text support, then the scenario prior."""
        return relevance.total(self.weights.scenario)

    def total_new(self, relevance: Relevance, listing: Listing) -> float:
        """`totals` for a listing the index does not hold (new or edited since it was
        learned), on the same scale."""
        raw = self.index.score_listing(relevance.terms, listing)
        text = raw / relevance.best if relevance.best > 0 else (1.0 if raw > 0 else 0.0)  # may pass 1: better than any held
        for request_terms, top in relevance.requests:
            text = max(text, self.weights.joined * self.index.score_listing(request_terms, listing) / top)
        labels = self.scenes.vector({s: (MAIN if i == 0 else OTHER) for i, s in enumerate(listing.scenarios)})
        prior = float(labels @ relevance.about) if relevance.about is not None and relevance.about.size else 0.0
        one = Relevance(text=np.array([text]), scenario=np.array([min(prior, 1.0)]), scenarios=[])
        return float(self.totals(one)[0])

    def _known_words(self, terms: dict[str, float]) -> list[str]:
        """The plain words among `terms` (no bigrams, no concepts) that the catalogue holds."""
        return [t for t in terms if not t.startswith((tokens.GRAM, tokens.CONCEPT)) and self.index.knows(t)]

    def _coherent(self, terms: dict[str, float]) -> dict[str, float]:
        """The terms of a long text (a story, a report excerpt), each weighed by how well
        the scenarios it is a cue for (catalog/language/scenes.py) agree with those of the
        rest of the text: in 供应商来讲了三个月AI…我就想先把生产线上的数据抓到手里, 供应商 is
        told on the way and counts less than the words about the line's data. A term that
        is a cue for no scenario, and every term of a short text, keeps its weight."""
        w = self.weights
        if w.coherence >= 1 or len(self._known_words(terms)) < w.coherent_words:
            return terms
        cues = {t: cue * terms[t] for t in terms if (cue := self.scenes.cue(t)) is not None and cue.any()}
        if len(cues) < 2:
            return terms
        whole = np.sum(list(cues.values()), axis=0)
        out = dict(terms)
        for term, cue in cues.items():
            rest = whole - cue
            if rest.any():
                agreement = float(cue @ rest / (np.linalg.norm(cue) * np.linalg.norm(rest)))
                out[term] = terms[term] * (w.coherence + (1 - w.coherence) * agreement)
        return out

    def _requests(self, query: Understanding, terms: dict[str, float]) -> list[tuple[dict[str, float], float, np.ndarray]]:
        """The requests a short text joins (想上 MES 管住工单报工，顺便把设备联网看状态), each with
        its terms, the best raw score a listing gets for it and every listing's: a listing that answers one
        of them best then scores at least `Weights.joined`, though its words are only half
        the text's. One request, or a long text (a story joins many things), gives none."""
        w = self.weights
        if not w.joined or len(self._known_words(terms)) >= w.coherent_words:
            return []
        parts = [p for p in _JOINED.split(query.text) if len(p.strip()) >= 2]
        if len(parts) < 2:
            return []
        found = []
        for part in parts:
            part_terms = self._weighted(part, 1.0)
            raw = self.index.scores(part_terms)
            top = float(raw.max()) if raw.size else 0.0
            if top > 0:
                found.append((part_terms, top, raw))
        return found

    def _feedback(self, terms: dict[str, float], raw: np.ndarray) -> dict[str, float]:
        """Words the best-scoring listings have in common, beyond the query's own (RM3-like
        relevance feedback: 电费 → 能耗, 计量 from the energy listings that match it). Only
        listings that have several of the query's words lend theirs: one that ranks high on
        a single word (a name that happens to hold it) would lead the query astray."""
        w = self.weights
        if not w.feedback or not raw.size or raw.max() <= 0:
            return {}
        ranked = [int(i) for i in best_first(raw, w.feedback_depth * 4) if raw[i] > 0]
        words = {t: terms[t] for t in self._known_words(terms)}
        enough = min(w.feedback_words, len(words))
        weighed = self.index.weigh(words)
        sound = [pos for pos in ranked if len(self.index.matched(weighed, pos)) >= enough]
        top = (sound or ranked)[:w.feedback_depth]
        shares = [float(raw[pos] / raw[top[0]]) for pos in top]
        picked = self.index.shared_words(top, shares, skip=terms, count=w.feedback_terms)
        if not picked:
            return {}
        scale = picked[0][1]
        return {t: w.feedback * m / scale for t, m in picked}

    def _about(self, query: Understanding, raw: np.ndarray, text: np.ndarray) -> np.ndarray:
        """The query's scenarios: what its words tell, and what its best listings vote."""
        about = self.scenes.infer(query.terms)
        top = best_first(raw, self.weights.vote_depth)
        top = top[raw[top] > 0]
        if not top.size:  # no listing has the words: what the pain-point lexicon says, if anything
            return about if about.sum() else self.scenes.vector(dict(infer_scenarios(query.text)))
        vote = (self.scenes.labels[top] * text[top, None]).sum(axis=0)
        vote = vote / vote.sum() if vote.sum() else vote
        share = self.weights.vote_share
        return (1 - share) * about + share * vote if about.sum() else vote
