"""The Meilisearch settings of every index, as one reviewed dict.

Searchable attributes are listed in order of weight. Words in Chinese are short (two or
three characters), so a typo is allowed from three characters on and two typos never
(a second typo in a four-character word is a different word). Ranking puts matched
words and their proximity first; the Python re-ranker (search_index.query) refines the
top candidates.
"""

from __future__ import annotations

from typing import Any

_TYPO_TOLERANCE: dict[str, Any] = {
    "enabled": True,
    "minWordSizeForTypos": {"oneTypo": 3, "twoTypos": 12},
    # Codes and abbreviations must match exactly: MES is not EMS.
    "disableOnAttributes": ["code", "industries", "scenarios"],
}

# What a solution hit carries: the candidate store (search_index.candidates) looks its
# document up by id and checks it against rev, a hash of its content.
LOCATOR = ["id", "rev"]

_RANKING_RULES = ["words", "typo", "attribute", "proximity", "exactness", "sort", "excellent:desc"]

_SOLUTIONS: dict[str, Any] = {
    "searchableAttributes": [
        "name", "keywords", "synonyms", "scenarios", "subwords", "description",
        "provider_name", "industry_names", "code",
    ],
    "filterableAttributes": [
        "industries", "scenarios", "region", "service_regions", "deployment", "billing",
        "price_band", "size_fit", "target_level", "status", "public", "excellent", "provider_id",
        "region_prefixes", "served", "id", "indexed_at",
    ],
    "sortableAttributes": ["price_wan", "deploy_days", "rating", "listed_at"],
    # Hits carry only their locator; documents come from the candidate store, whose fetch
    # is not limited by this setting. Meilisearch turns every displayed field of a hit into
    # JSON before it picks the fields asked for: with all displayed, a third of its CPU.
    "displayedAttributes": [*LOCATOR, "indexed_at"],
    "rankingRules": _RANKING_RULES,
    "typoTolerance": _TYPO_TOLERANCE,
    "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "count"}},
    "pagination": {"maxTotalHits": 2000},
    "facetSearch": False,  # nothing searches within facet values; skipping it saves indexing time
    "proximityPrecision": "byAttribute",
    # Text queries are answered from the learnt catalogue (search_index.textual), suggestions
    # too; the engine's prefix tables would cost every write seconds on a large index
    "prefixSearch": "disabled",
    "localizedAttributes": [{"attributePatterns": ["*"], "locales": ["cmn"]}],
}

_PROVIDERS: dict[str, Any] = {
    "searchableAttributes": [
        "name", "scenarios", "synonyms", "subwords", "description", "certifications", "industry_names",
    ],
    "filterableAttributes": [
        "industries", "scenarios", "region", "service_regions", "kind", "status", "public",
    ],
    "sortableAttributes": ["capacity", "rating"],
    "displayedAttributes": ["*"],
    "rankingRules": _RANKING_RULES[:-1],
    "typoTolerance": _TYPO_TOLERANCE,
    "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "count"}},
    "pagination": {"maxTotalHits": 2000},
    "facetSearch": False,  # nothing searches within facet values; skipping it saves indexing time
    "localizedAttributes": [{"attributePatterns": ["*"], "locales": ["cmn"]}],
}

_NEEDS: dict[str, Any] = {
    "searchableAttributes": ["text", "scenario", "synonyms", "subwords", "enterprise_name", "industry_names"],
    "filterableAttributes": ["industries", "scenario", "region", "priority", "enterprise_id", "size"],
    "sortableAttributes": ["budget_wan"],
    "displayedAttributes": ["*"],
    "rankingRules": _RANKING_RULES[:-1],
    "typoTolerance": _TYPO_TOLERANCE,
    "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "count"}},
    "pagination": {"maxTotalHits": 2000},
    "facetSearch": False,  # nothing searches within facet values; skipping it saves indexing time
    "localizedAttributes": [{"attributePatterns": ["*"], "locales": ["cmn"]}],
}

INDEX_SETTINGS: dict[str, dict[str, Any]] = {
    "solutions": _SOLUTIONS,
    "providers": _PROVIDERS,
    "needs": _NEEDS,
}

# The facets the search page shows, with their Chinese titles.
SOLUTION_FACETS: dict[str, str] = {
    "scenarios": "应用场景",
    "industries": "适用行业",
    "deployment": "部署方式",
    "billing": "计费方式",
    "price_band": "价格区间",
    "size_fit": "适用规模",
    "target_level": "目标水平",
    "region": "服务商所在地",
    "excellent": "优秀产品",
}

SORTS: dict[str, str] = {
    "price_asc": "price_wan:asc",
    "price_desc": "price_wan:desc",
    "days_asc": "deploy_days:asc",
    "rating_desc": "rating:desc",
    "newest": "listed_at:desc",
}

# The baseline the issue measured: default settings over name, description and keywords.
BASELINE_SETTINGS: dict[str, Any] = {
    "searchableAttributes": ["name", "description", "keywords"],
    "filterableAttributes": ["public", "status"],
}

# Lists the server keeps in our order; every other list of names is a set to it.
_ORDERED = frozenset({"searchableAttributes", "rankingRules", "displayedAttributes", "localizedAttributes"})


def _same(wanted: Any, current: Any, *, ordered: bool) -> bool:
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(
            key in current and _same(value, current[key], ordered=ordered) for key, value in wanted.items()
        )
    if isinstance(wanted, list) and not ordered and all(isinstance(v, str) for v in wanted):
        return isinstance(current, list) and sorted(wanted) == sorted(current)
    return bool(wanted == current)


def settings_differ(wanted: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """The top-level settings whose server value is not what we want.

    The server returns every setting, with defaults filled in (`disableOnWords: []`) and
    some lists in its own order (sortable attributes sorted), so a plain `!=` always
    differs; re-applying settings makes Meilisearch re-index everything. Keys we do not
    set are ignored; name lists are compared as sets unless their order matters.
    """
    return [key for key, value in wanted.items()
            if not _same(value, current.get(key), ordered=key in _ORDERED)]
