"""What the search understood of a query: corrections, concepts, scenarios, preferences.

The understanding itself is `catalog.language` (shared with the matcher); this module
turns it into the `QueryPlan` the page and the API show (已按“追溯”搜索, 理解为：质量管控)
and into the few key terms Meilisearch is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.language import segment, tokens
from catalog.language.lexical import LexicalIndex
from catalog.language.query import CatalogueText, Understanding
from catalog.language.synonyms import SynonymGroup, synonyms

MAX_ENGINE_WORDS = 10  # Meilisearch ignores a query's 11th word and beyond

# How people say "cheap" and "we are small"; the search then prefers low prices and
# offerings sized for small firms.
FRUGAL_MARKERS = ("便宜", "低价", "实惠", "省钱", "价格低", "不贵", "性价比", "免费", "预算有限", "预算少",
                  "预算不多", "钱不多", "没多少钱", "成本低", "低成本", "花钱少", "少花钱", "经济型")
SMALL_MARKERS = ("小厂", "小微", "小企业", "小公司", "小作坊", "作坊", "规下", "个体", "几十个人", "几十号人",
                 "十几个人", "人不多")


UNDERSTOOD_MAX = 3  # scenarios named as what a query is about
UNDERSTOOD_SHARE = 0.15  # the least share of the query a named scenario carries


@dataclass(frozen=True)
class QueryPlan:
    """What a query asks for, as shown to the user.

    Attributes:
        raw: the text as typed.
        text: folded and typo-corrected.
        terms: key words, most telling first.
        groups: synonym groups (concepts) mentioned.
        scenarios: (scenario, share) pairs the query is about, best first.
        corrections: (typed, corrected) pairs applied.
        frugal: asks for something cheap; small: speaks for a small firm.
    """

    raw: str
    text: str
    terms: tuple[str, ...]
    groups: tuple[SynonymGroup, ...]
    scenarios: tuple[tuple[str, float], ...]
    corrections: tuple[tuple[str, str], ...]
    frugal: bool = False
    small: bool = False

    @property
    def understood(self) -> list[str]:
        """The scenarios the query is shown to be about (理解为…): the strongest few that carry
        a real share, the same on the page, in the API and in the suggestions."""
        return [s for s, share in self.scenarios[:UNDERSTOOD_MAX] if share >= UNDERSTOOD_SHARE]

    def engine_query(self, limit: int = MAX_ENGINE_WORDS) -> str:
        """Key terms for Meilisearch, at most `limit` jieba words, most telling first."""
        out: list[str] = []
        count = 0
        for term in self.terms:
            size = max(1, len(segment.words(term)))
            if count + size > limit or any(term in kept for kept in out):
                continue
            out.append(term)
            count += size
        return " ".join(out)


def plan_of(understood: Understanding, index: LexicalIndex,
            scenarios: list[tuple[str, float]]) -> QueryPlan:
    """The plan of an understood query, its words ordered by idf over `index`."""
    # most telling first; a word no held listing has yet (a listing published since) first of all
    ordered = sorted(dict.fromkeys(understood.words), key=lambda w: -(index.idf(w) if index.knows(w) else 99.0))
    table = synonyms()
    groups = tuple(table.groups[int(t[1:])] for t in understood.terms if t.startswith(tokens.CONCEPT))
    text = understood.text
    return QueryPlan(
        raw=understood.raw, text=text, terms=tuple(ordered), groups=groups, scenarios=tuple(scenarios),
        corrections=tuple((c.typed, c.corrected) for c in understood.corrections),
        frugal=any(m in text for m in FRUGAL_MARKERS), small=any(m in text for m in SMALL_MARKERS),
    )


def analyse(catalogue: CatalogueText, q: str) -> QueryPlan:
    """The plan of `q` over a learned catalogue."""
    understood = catalogue.understand(q)
    return plan_of(understood, catalogue.index, catalogue.relevance(understood).scenarios)
