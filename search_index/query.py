"""Searching the catalogue: query understanding, candidates from Meilisearch, re-ranking,
highlights, facets and paging.

`search_solutions` is the one entry point the page and the evaluation use, and its twin
`search_solutions_async` the API's. Both carry out the same `solution_search`: steps that
yield each request for Meilisearch (`search_index.client.Steps`), so the search is written
once for blocking and for async callers.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import meilisearch
import orjson

from search_index import candidates as candidate_store
from search_index.analysis import QueryPlan, analyse
from search_index.candidates import Candidate
from search_index.client import Steps, index_uid, run, run_async
from search_index.rerank import rerank
from search_index.settings import LOCATOR, SOLUTION_FACETS, SORTS

# Candidates re-ranked per text query. Meilisearch's own cost grows with the limit (its
# bucket sort ranks every candidate), and so does the transfer and the re-ranking.
CANDIDATES = 60
SCENARIO_CANDIDATES = 30
MAX_TOTAL = 1000  # results a text query pages through (the indexes allow 2000, see settings)
_INTERNAL = ("synonyms", "text_n", "rev")


@dataclass
class SearchRequest:
    """A search as the API receives it. `filters` maps a facet to the values wanted (OR within
    a facet, AND across facets); `public_only` hides everything not 已入库."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str | None = None
    page: int = 1
    per_page: int = 10
    public_only: bool = True
    # Seen besides what is public (when `public_only`): every listing of the providers whose
    # region starts with one of `regions` (a bureau's), and those of `own_provider_id`.
    regions: tuple[str, ...] = ()
    own_provider_id: int | None = None
    industry: str | None = None  # the searcher's own industry, to prefer fitting offerings
    facets: bool = True  # count facet values (costs the engine more than the search itself)


@dataclass
class SearchResult:
    hits: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]]
    took_ms: float
    plan: QueryPlan | None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _quote(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def visibility_filter(*, regions: tuple[str, ...] = (), own_provider_id: int | None = None) -> list[str]:
    """What a searcher may see, as alternatives (OR): public listings, listings of providers
    in `regions` (region prefixes), and the listings of `own_provider_id`."""
    out = ["public = true"]
    out += [f"region_prefixes = {_quote(r)}" for r in regions if r]
    if own_provider_id is not None:
        out.append(f"provider_id = {int(own_provider_id)}")
    return out


def build_filter(filters: dict[str, list[str]], *, public_only: bool, regions: tuple[str, ...] = (),
                 own_provider_id: int | None = None) -> list[Any]:
    """A Meilisearch filter (list = AND, inner list = OR) from facet selections and visibility."""
    out: list[Any] = []
    if public_only:
        out.append(visibility_filter(regions=regions, own_provider_id=own_provider_id))
    for facet, values in sorted(filters.items()):
        if facet not in SOLUTION_FACETS or not values:
            continue
        if facet == "excellent":
            out.append("excellent = true")
            continue
        out.append([f"{facet} = {_quote(v)}" for v in values])
    return out


def _shortlist_query(uid: str, plan: QueryPlan, flt: list[Any]) -> dict[str, Any] | None:
    """The best-rated listings of the scenarios the query mainly speaks of, or None."""
    scenarios = [s for s, share in plan.scenarios[:2] if share >= 0.2]
    if not scenarios:
        return None
    return {
        "indexUid": uid, "q": "", "filter": [*flt, [f"scenarios = {_quote(s)}" for s in scenarios]],
        "limit": SCENARIO_CANDIDATES, "attributesToRetrieve": LOCATOR, "sort": ["rating:desc"],
    }


def _engine_search(
    uid: str, plan: QueryPlan, flt: list[Any], *, facets: bool
) -> Steps[tuple[list[Candidate], int, dict[str, dict[str, int]]]]:
    """The candidates for a text query (the engine's hits, then the scenario shortlist), the
    engine's total and its facet counts, in one round trip. Hits carry ids and revs; the
    documents come from the process's candidate store; a shortlist is reused for a
    second (`candidates.Shortlists`)."""
    queries: list[dict[str, Any]] = [{
        "indexUid": uid, "q": plan.engine_query(), "filter": flt, "limit": CANDIDATES,
        "matchingStrategy": "frequency", "attributesToRetrieve": LOCATOR,
    }]
    if facets:
        queries[0]["facets"] = list(SOLUTION_FACETS)
    shortlist = _shortlist_query(uid, plan, flt)
    key = orjson.dumps(shortlist) if shortlist else b""
    remembered = candidate_store.shortlists.get(key) if shortlist else None
    if shortlist and remembered is None:
        queries.append(shortlist)
    results = (yield "multi-search", {"queries": queries})["results"]
    if shortlist and remembered is None:
        remembered = results[1]["hits"]
        candidate_store.shortlists.put(key, remembered)
    merged: dict[Any, dict[str, Any]] = {}
    for hit in [*results[0]["hits"], *(remembered or [])]:
        merged.setdefault(hit["id"], hit)
    found = yield from candidate_store.store.resolve(uid, list(merged.values()))
    main = results[0]
    return found, int(main.get("estimatedTotalHits", 0)), main.get("facetDistribution", {})


@lru_cache(maxsize=4096)
def _term_pattern(terms: frozenset[str]) -> re.Pattern[str] | None:
    """One alternation of the terms, longest first, so each place takes the longest term."""
    ordered = sorted((t for t in terms if len(t) >= 2 or not t.isascii()), key=lambda t: (-len(t), t))
    return re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE) if ordered else None


def query_pattern(plan: QueryPlan | None) -> re.Pattern[str] | None:
    """What `highlight` marks for a query: its terms and their synonyms."""
    if plan is None:
        return None
    return _term_pattern(frozenset({t for g in plan.groups for t in g.terms} | set(plan.terms)))


_SPECIAL = re.compile(r"[&<>\"']")


def _escape(text: str) -> str:
    """html.escape, skipped for the usual text with nothing to escape."""
    return html.escape(text) if _SPECIAL.search(text) else text


def highlight(text: str, pattern: re.Pattern[str] | None, *, crop: int | None = None) -> str:
    """HTML-escaped `text` with the matches of `pattern` (see `query_pattern`) wrapped in <mark>."""
    spans = [m.span() for m in pattern.finditer(text)] if pattern else []
    if not spans and (not crop or len(text) <= crop):
        return _escape(text)
    start = 0
    if crop and len(text) > crop:
        start = max(0, (spans[0][0] - crop // 4) if spans else 0)
    end = start + crop if crop else len(text)
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(f"{_escape(text[pos:s])}<mark>{_escape(text[s:e])}</mark>")
        pos = e
    out.append(_escape(text[pos:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out) + suffix


def _present(hit: dict[str, Any], pattern: re.Pattern[str] | None, score: float | None) -> dict[str, Any]:
    doc = {k: v for k, v in hit.items() if k not in _INTERNAL and not k.startswith("_")}
    doc["highlight"] = {
        "name": highlight(hit.get("name", ""), pattern),
        "description": highlight(hit.get("description", ""), pattern, crop=120),
        "keywords": [highlight(k, pattern) for k in hit.get("keywords", [])],
    }
    if score is not None:
        doc["score"] = round(score, 4)
    return doc


def _browse(uid: str, request: SearchRequest, flt: list[Any]) -> Steps[SearchResult]:
    """No query text (or an explicit sort without re-ranking): Meilisearch's order."""
    started = time.perf_counter()
    plan = analyse(request.q) if request.q.strip() else None
    params: dict[str, Any] = {
        "filter": flt, "hitsPerPage": request.per_page, "page": request.page,
        "attributesToRetrieve": LOCATOR, "matchingStrategy": "frequency",
    }
    if request.facets:
        params["facets"] = list(SOLUTION_FACETS)
    if request.sort in SORTS:
        params["sort"] = [SORTS[request.sort]]
    params["q"] = plan.engine_query() if plan else ""
    result = yield f"indexes/{uid}/search", params
    pattern = query_pattern(plan)
    found = yield from candidate_store.store.resolve(uid, result["hits"])
    hits = [_present(c.doc, pattern, None) for c in found]
    took = (time.perf_counter() - started) * 1000
    return SearchResult(hits, int(result.get("totalHits", 0)), request.page, request.per_page,
                        result.get("facetDistribution", {}), took, plan)


def search_solutions(*, client: meilisearch.Client, prefix: str, request: SearchRequest) -> SearchResult:
    """Search the solutions index as a user would: understood, re-ranked, highlighted.

    Args:
        client: the Meilisearch client.
        prefix: the index prefix (settings.meili_index_prefix).
        request: what was asked (text, facet filters, sort, page, visibility).

    Returns:
        A `SearchResult`; `total` counts the re-ranked candidates for a text query.

    Raises:
        meilisearch.errors.MeilisearchError: the server could not be reached or refused.
    """
    return run(client, solution_search(prefix, request))


async def search_solutions_async(*, client: meilisearch.Client, prefix: str, request: SearchRequest) -> SearchResult:
    """`search_solutions` for a coroutine: the event loop goes on while the engine answers."""
    return await run_async(client, solution_search(prefix, request))


def solution_search(prefix: str, request: SearchRequest) -> Steps[SearchResult]:
    """The search of `search_solutions`, as steps (see `search_index.client.run`)."""
    uid = index_uid(prefix, "solutions")
    flt = build_filter(request.filters, public_only=request.public_only, regions=request.regions,
                       own_provider_id=request.own_provider_id)
    if not request.q.strip() or request.sort in SORTS:
        return (yield from _browse(uid, request, flt))
    started = time.perf_counter()
    plan = analyse(request.q)
    found, engine_total, facets = yield from _engine_search(uid, plan, flt, facets=request.facets)
    ranked: list[tuple[dict[str, Any], float | None]] = list(
        rerank(plan, [c.doc for c in found], industry=request.industry, texts=[c.text for c in found]))
    total = max(len(ranked), min(engine_total, MAX_TOTAL))
    first = (request.page - 1) * request.per_page
    end = min(first + request.per_page, total)
    if end > len(ranked):  # a page past the re-ranked ones: the engine's order continues them
        seen = {doc["id"] for doc, _ in ranked}
        tail = yield from _engine_tail(uid, plan, flt, end - len(ranked), seen)
        ranked += [(c.doc, None) for c in tail]
    pattern = query_pattern(plan)
    hits = [_present(doc, pattern, score) for doc, score in ranked[first:end]]
    took = (time.perf_counter() - started) * 1000
    return SearchResult(hits, total, request.page, request.per_page, facets, took, plan)


def _engine_tail(uid: str, plan: QueryPlan, flt: list[Any], count: int, seen: set[Any]) -> Steps[list[Candidate]]:
    """`count` more of the engine's hits after its first CANDIDATES, skipping those `seen`
    (re-ranked already: a scenario shortlist's members may be among them)."""
    body = {"q": plan.engine_query(), "filter": flt, "offset": CANDIDATES,
            "limit": min(count + SCENARIO_CANDIDATES, MAX_TOTAL - CANDIDATES), "matchingStrategy": "frequency",
            "attributesToRetrieve": LOCATOR}
    hits = [h for h in (yield f"indexes/{uid}/search", body)["hits"] if h["id"] not in seen]
    return (yield from candidate_store.store.resolve(uid, hits[:count]))


def ranked_codes(*, client: meilisearch.Client, prefix: str, q: str, industry: str | None = None,
                 limit: int = 50, public_only: bool = True) -> list[str]:
    """The codes of the best `limit` solutions for `q` (for evaluation)."""
    request = SearchRequest(q=q, per_page=limit, public_only=public_only, industry=industry, facets=False)
    return [hit["code"] for hit in search_solutions(client=client, prefix=prefix, request=request).hits]


@dataclass(frozen=True)
class SuggestRequest:
    """What has been typed so far, and who is typing (as in `SearchRequest`)."""

    q: str
    limit: int = 8
    public_only: bool = True
    regions: tuple[str, ...] = ()
    own_provider_id: int | None = None


async def suggest_async(*, client: meilisearch.Client, prefix: str, request: SuggestRequest) -> list[dict[str, Any]]:
    """As-you-type suggestions: solution names (prefix search) and matching scenarios."""
    return await run_async(client, suggestions(prefix, request))


def suggestions(prefix: str, request: SuggestRequest) -> Steps[list[dict[str, Any]]]:
    """The suggestions of `suggest_async`, as steps (see `search_index.client.run`)."""
    text = request.q.strip()
    if not text:
        return []
    plan = analyse(text)
    uid = index_uid(prefix, "solutions")
    flt = build_filter({}, public_only=request.public_only, regions=request.regions,
                       own_provider_id=request.own_provider_id)
    result = yield f"indexes/{uid}/search", {
        "q": plan.text, "filter": flt, "limit": request.limit, "attributesToRetrieve": LOCATOR,
        "matchingStrategy": "last",
    }
    found = yield from candidate_store.store.resolve(uid, result["hits"])
    out = [{"kind": "solution", "text": c.doc["name"], "code": c.doc["code"]} for c in found]
    out += [{"kind": "scenario", "text": s} for s, share in plan.scenarios[:3] if share >= 0.15]
    return out[:request.limit + 3]
