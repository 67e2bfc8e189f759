"""Re-ranking of Meilisearch candidates in Python, over normalised text.

Pure functions: a `QueryPlan` and candidate documents (dicts as indexed) in, scores out.
The score blends how much of the query's intent a document covers (concepts and key
terms, weighted by where they occur and how rare they are among the candidates), the
scenarios inferred from the query, the fit to the searcher's industry, and the engine's
own order as a tie-breaker.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from catalog.taxonomy import IndustryFit, industry_fit
from catalog.text import normalize
from search_index.analysis import QueryPlan

_CJK = re.compile(r"[\u4e00-\u9fff]")

W_TEXT = 0.62
W_SCENARIO = 0.24
W_INDUSTRY = 0.10
W_ENGINE = 0.04
# Bonuses when the query asks for it: a low price (便宜点的), an offering for small firms (小厂用).
W_PRICE = 0.06
W_SMALL = 0.04
PRICE_SCALE_WAN = 3.0  # a 3万元 offering gets half the price bonus
SMALL_FIT = frozenset({"规下", "均可"})

_FIT_SCORE = {IndustryFit.GROUP: 1.0, IndustryFit.DIVISION: 0.8, IndustryFit.GENERIC: 0.45, IndustryFit.NONE: 0.0}


@dataclass(frozen=True)
class Concept:
    """One thing the query asks for: a synonym group (any of its terms) or a key term."""

    terms: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class DocText:
    name: str
    keywords: str
    body: str
    synonyms: frozenset[str]
    scenarios: tuple[str, ...]
    industries: tuple[str, ...]


def _fold(text: str) -> str:
    """`normalize(text)`; the text itself when already normal (indexed text mostly is), so
    a kept document does not hold its text twice."""
    folded = normalize(text)
    return text if folded == text else folded


def doc_text(doc: dict[str, Any]) -> DocText:
    """The normalised fields of a candidate document that scoring looks at."""
    return DocText(
        name=_fold(doc.get("name", "")),
        keywords=_fold(" ".join(doc.get("keywords", []))),
        body=doc.get("text_n") or _fold(doc.get("description", "")),
        synonyms=frozenset(doc.get("synonyms", [])),
        scenarios=tuple(doc.get("scenarios", [])),
        industries=tuple(doc.get("industries", [])),
    )


def concepts(plan: QueryPlan) -> list[Concept]:
    """The query's concepts: its synonym groups, then key terms no group covers, then
    the lexicon's product words for its pain points (at a lower weight)."""
    out = [Concept(terms=g.terms, weight=1.3) for g in plan.groups]
    covered = " ".join(t for g in plan.groups for t in g.terms)
    for term in plan.terms:
        if term in covered:
            continue
        weight = 1.0 if len(term) >= 2 or not _CJK.match(term) else 0.4
        out.append(Concept(terms=(term,), weight=weight))
    for term in plan.expansions:
        if term not in covered and all(term not in c.terms for c in out):
            out.append(Concept(terms=(term,), weight=0.35))
    return out


def _bigram_share(term: str, doc: DocText) -> float:
    grams = [term[i:i + 2] for i in range(len(term) - 1)]
    if not grams:
        return 0.0
    return sum(1 for g in grams if g in doc.name or g in doc.keywords or g in doc.body) / len(grams)


def match_row(concept: Concept, docs: Sequence[DocText]) -> list[float]:
    """How well each document carries a concept: 1 in the name, less in keywords or body,
    a partial score when only parts (character pairs) of a lone term occur."""
    terms = concept.terms
    partial = terms[0] if len(terms) == 1 and len(terms[0]) >= 3 and _CJK.match(terms[0]) else None
    row = []
    for doc in docs:
        best = 0.0
        for term in terms:
            if term in doc.name:
                best = 1.0
                break
            if best < 0.9 and term in doc.keywords:
                best = 0.9
            elif best < 0.7 and (term in doc.body or term in doc.synonyms):
                best = 0.7
        if not best and partial:
            best = 0.45 * _bigram_share(partial, doc)
        row.append(best)
    return row


def _rarity(matches: list[list[float]], n: int) -> list[float]:
    """An idf-like factor per concept over the candidates (a concept every candidate
    carries tells them apart less); `matches[c][d]` is concept c's match in document d."""
    factors = []
    for row in matches:
        df = sum(1 for value in row if value >= 0.7)
        factors.append(0.5 + math.log((n + 1) / (df + 1)) / math.log(n + 1) if n else 1.0)
    return factors


def scenario_score(plan: QueryPlan, doc: DocText) -> float:
    """Share of the inferred scenario mass the document covers (its first scenario counts most)."""
    if not plan.scenarios:
        return 0.0
    score = 0.0
    for scenario, share in plan.scenarios:
        if scenario in doc.scenarios:
            score += share * (1.0 if doc.scenarios[0] == scenario else 0.75)
    return score


def preference_bonus(plan: QueryPlan, doc: dict[str, Any]) -> float:
    """What a query's stated preferences add: cheaper is better when it asks for cheap, and
    offerings sized for small firms when it speaks for one."""
    bonus = 0.0
    if plan.frugal:
        price = max(0.0, float(doc.get("price_wan") or 0.0))
        bonus += W_PRICE / (1.0 + price / PRICE_SCALE_WAN)
    if plan.small and doc.get("size_fit") in SMALL_FIT:
        bonus += W_SMALL
    return bonus


def rerank(
    plan: QueryPlan, candidates: Sequence[dict[str, Any]], *, industry: str | None = None,
    texts: Sequence[DocText] | None = None,
) -> list[tuple[dict[str, Any], float]]:
    """Order candidates (in engine order) by relevance to the plan; returns (doc, score), best first.

    Args:
        plan: the analysed query.
        candidates: documents as indexed (need name, keywords, description, synonyms, scenarios,
            industries).
        industry: the searcher's industry code, when known, to prefer offerings that fit it.
        texts: the candidates' `doc_text`, when already at hand (one per candidate).
    """
    docs = list(texts) if texts is not None else [doc_text(c) for c in candidates]
    concept_list = concepts(plan)
    matches = [match_row(c, docs) for c in concept_list]  # each pair once
    factors = _rarity(matches, len(docs))
    weights = [c.weight * f for c, f in zip(concept_list, factors, strict=True)]
    total = sum(weights) or 1.0
    text = [0.0] * len(docs)
    for weight, row in zip(weights, matches, strict=True):
        for i, value in enumerate(row):
            if value:
                text[i] += weight * value
    scored: list[tuple[dict[str, Any], float]] = []
    for rank, (candidate, doc) in enumerate(zip(candidates, docs, strict=True)):
        fit = _FIT_SCORE[industry_fit(doc.industries, industry)] if industry else 0.0
        engine = 1.0 / (1.0 + rank / 10.0)
        score = (W_TEXT * text[rank] / total + W_SCENARIO * scenario_score(plan, doc) + W_INDUSTRY * fit
                 + W_ENGINE * engine)
        score += preference_bonus(plan, candidate)
        scored.append((candidate, score))
    scored.sort(key=lambda item: -item[1])
    return scored
