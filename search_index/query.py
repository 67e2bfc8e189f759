"""Searching the catalogue: query understanding, one result set, highlights, facets, pages.

A text query is understood and scored over the catalogue as learned from the index
(`search_index.textual`, `catalog.language`): the listings with text support form the
result set, which Meilisearch filters (visibility, facets, the searcher's region) and
counts in the same request.

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

from catalog.language.query import Relevance, best_first
from catalog.regions import province
from catalog.taxonomy import IndustryFit, industry_fit
from search_index import candidates as candidate_store
from search_index import textual
from search_index.analysis import QueryPlan, plan_of
from search_index.client import Steps, index_uid, run, run_async
from search_index.settings import LOCATOR, SOLUTION_FACETS, SORTS
from search_index.textual import Relearn, Snapshot

# A result set holds the listings with text support, at most MAX_SET: Meilisearch filters
# and counts them by id, at some 25 µs an id. Past the first page, a listing scoring under
# TAIL_SHARE of the best is left out: the long tail of a common word is noise, not results.
MAX_SET = 150
TAIL_SHARE = 0.1
FRESH_CANDIDATES = 30  # the engine's hits checked for listings newer than the snapshot
SCENARIO_CANDIDATES = 20  # the scenarios' best-rated listings that widen a short result set
WIDEN_BELOW = 10  # a result set shorter than this is widened with them (a page's worth)
INDUSTRY_WEIGHT = 0.2  # fitting the searcher's industry (tuned on half the dev queries, held on the other)
# Bonuses when the query asks for it: a low price (便宜点的), an offering for small firms (小厂用).
PRICE_WEIGHT = 0.06
SMALL_WEIGHT = 0.04
PRICE_SCALE_WAN = 3.0  # a 3万元 offering gets half the price bonus
SMALL_FIT = frozenset({"规下", "均可"})
_FIT_SCORE = {IndustryFit.GROUP: 1.0, IndustryFit.DIVISION: 0.8, IndustryFit.GENERIC: 0.45, IndustryFit.NONE: 0.0}
_INTERNAL = ("rev",)  # fields of a stored document that a hit does not show


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
    region: str | None = None  # the searcher's location: only listings whose provider serves it
    as_typed: bool = False  # no typo correction (the user asked for the words as typed)
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
    # "scenario": nothing had the words, these are the scenarios' best-rated listings;
    # "widened": the few that had them come first, then the scenarios' best-rated listings
    relaxed: str | None = None

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


def served_filter(region: str | None) -> list[str]:
    """Listings whose provider serves `region` (nationwide, or its province)."""
    place = province(region)
    if not place:
        return []
    return [f"served = {_quote('全国')}", f"served = {_quote(place)}"]


def build_filter(filters: dict[str, list[str]], *, public_only: bool, regions: tuple[str, ...] = (),
                 own_provider_id: int | None = None, region: str | None = None) -> list[Any]:
    """A Meilisearch filter (list = AND, inner list = OR) from facet selections, visibility
    and the searcher's region."""
    out: list[Any] = []
    if public_only:
        out.append(visibility_filter(regions=regions, own_provider_id=own_provider_id))
    served = served_filter(region)
    if served:
        out.append(served)
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


def _ids_filter(ids: list[Any]) -> str:
    return "id IN [" + ", ".join(str(int(i)) for i in ids) + "]"


@dataclass
class _Scored:
    """The result set of a text query: ids (relevance order unless sorted), scores, facets."""

    ids: list[Any]
    scores: dict[Any, float]
    facets: dict[str, dict[str, int]]
    relaxed: str | None = None


@dataclass(frozen=True)
class _Answer:
    """What a query gets from a snapshot, remembered by it (queries recur): the plan, the
    relevance reduced to what scoring a fresh listing needs, and the ranked listings."""

    plan: QueryPlan
    relevance: Relevance
    ranked: tuple[tuple[Any, float], ...]


def _answer(snap: Snapshot, q: str, correct: bool, industry: str | None) -> _Answer:
    key = (q, correct, industry)
    found = snap.answers.get(key)
    if found is None:
        understood = snap.understand(q, correct=correct)
        rel = snap.text.relevance(understood)
        plan = plan_of(understood, snap.text.index, rel.scenarios)
        found = _Answer(plan, rel.without_arrays(), tuple(_relevant(snap, rel, plan, industry)))
        snap.answers[key] = found
    return found


def _relevant(snap: Snapshot, rel: Relevance, plan: QueryPlan, industry: str | None) -> list[tuple[Any, float]]:
    """The held listings with text support, best first: a page's worth whatever their
    score, then those scoring at least TAIL_SHARE of the best, at most MAX_SET."""
    total = snap.text.totals(rel)
    order = best_first(total, MAX_SET)
    best = float(total[order[0]]) if order.size else 0.0
    out = []
    for rank, pos in enumerate(order.tolist()):
        if total[pos] <= 0 or (rank >= WIDEN_BELOW and total[pos] < TAIL_SHARE * best):
            break
        bonus = INDUSTRY_WEIGHT * _FIT_SCORE[industry_fit(snap.industries[pos], industry)] if industry else 0.0
        bonus += preference_bonus(plan, snap.prices[pos], snap.size_fits[pos])
        out.append((snap.ids[pos], float(total[pos]) + bonus))
    return out


def preference_bonus(plan: QueryPlan, price_wan: float, size_fit: str) -> float:
    """What a query's stated preferences add: cheaper is better when it asks for cheap, and
    offerings sized for small firms when it speaks for one."""
    bonus = 0.0
    if plan.frugal:
        bonus += PRICE_WEIGHT / (1.0 + max(0.0, price_wan) / PRICE_SCALE_WAN)
    if plan.small and size_fit in SMALL_FIT:
        bonus += SMALL_WEIGHT
    return bonus


def _count_facets(facets: dict[str, dict[str, int]], docs: list[dict[str, Any]]) -> None:
    """Add the facet values of `docs` (found besides the engine's set) to `facets`."""
    for doc in docs:
        for facet in SOLUTION_FACETS:
            value = doc.get(facet)
            values = value if isinstance(value, list | tuple) else [value]
            for item in values:
                if item is None or item == "":
                    continue
                key = ("true" if item else "false") if isinstance(item, bool) else str(item)
                counts = facets.setdefault(facet, {})
                counts[key] = counts.get(key, 0) + 1


def _text_search(uid: str, request: SearchRequest, flt: list[Any], relearn: Relearn,
                 wait: bool) -> Steps[tuple[_Scored, QueryPlan]]:
    """The one result set of a text query, with what was understood.

    The set is every listing with text support (scored over the learned catalogue, its
    scenario prior and the searcher's industry) that passes the searcher's filters, plus
    the engine's hits for the key terms that the snapshot does not hold yet (scored on the
    fly). Meilisearch filters the set, sorts it and counts its facets in the same request,
    so `total`, facets, sort and pages all describe it. With no text support anywhere the
    search relaxes to the best listings of the scenarios the query speaks of.
    """
    snap = yield from textual.snapshots.get(uid, None if wait else relearn)
    answer = _answer(snap, request.q, not request.as_typed, request.industry)
    plan, rel, scores = answer.plan, answer.relevance, dict(answer.ranked)
    engine_q = plan.engine_query()
    in_set, facets, engine_hits = yield from _set_and_engine(uid, request, flt, list(scores), engine_q, snap.newest)
    changed = [h for h in in_set if not snap.holds(h["id"], h.get("rev"))]
    outside = [h for h in engine_hits if h["id"] not in scores and not snap.holds(h["id"], h.get("rev"))]
    if changed or engine_hits or textual.snapshots.old(uid):
        textual.snapshots.stale(uid, relearn)
    ids = [h["id"] for h in in_set]
    added: list[dict[str, Any]] = []
    if changed or outside:
        rescored = yield from _score_fresh(uid, snap, rel, plan, changed + outside, request.industry)
        scores.update({doc["id"]: doc["_score"] for doc in rescored})
        added = [doc for doc in rescored if doc["id"] not in ids and doc["_score"] > 0]
        if request.facets:
            _count_facets(facets, added)
    if request.sort not in SORTS:
        ids = sorted(ids + [d["id"] for d in added], key=lambda i: -scores.get(i, 0.0))
    elif added:
        ids = yield from _merge_sorted(uid, request.sort, ids, added)
    if len(ids) >= WIDEN_BELOW or not plan.scenarios:
        return _Scored(ids=ids, scores=scores, facets=facets), plan
    return (yield from _widened(uid, plan, flt, _Scored(ids=ids, scores=scores, facets=facets),
                                facets=request.facets, sort=request.sort)), plan


def _set_and_engine(uid: str, request: SearchRequest, flt: list[Any], ids: list[Any], engine_q: str,
                    newest: float) -> Steps[tuple[list[dict[str, Any]], dict[str, dict[str, int]], list[dict[str, Any]]]]:
    """Which of `ids` pass the filters (sorted when asked, with facet counts), and, when the
    index holds documents written after the snapshot was learnt (a probe in the same
    request tells), the engine's own hits for the key terms."""
    queries: list[dict[str, Any]] = [{"indexUid": uid, "q": "", "limit": 1, "sort": ["indexed_at:desc"],
                                      "attributesToRetrieve": ["indexed_at"]}]
    if ids:
        body: dict[str, Any] = {"indexUid": uid, "q": "", "filter": [*flt, _ids_filter(ids)], "limit": len(ids),
                                "attributesToRetrieve": LOCATOR}
        if request.facets:
            body["facets"] = list(SOLUTION_FACETS)
        if request.sort in SORTS:
            body["sort"] = [SORTS[request.sort]]
        queries.append(body)
    results = (yield "multi-search", {"queries": queries})["results"]
    in_set = results[1] if ids else {}
    latest = [float(h.get("indexed_at") or 0.0) for h in results[0]["hits"]]
    engine_hits: list[dict[str, Any]] = []
    if engine_q and latest and latest[0] > newest:
        engine_hits = (yield f"indexes/{uid}/search", {
            "q": engine_q, "filter": flt, "limit": FRESH_CANDIDATES, "matchingStrategy": "frequency",
            "attributesToRetrieve": LOCATOR})["hits"]
    return in_set.get("hits", []), in_set.get("facetDistribution", {}), engine_hits


def _score_fresh(uid: str, snap: Snapshot, rel: Relevance, plan: QueryPlan, hits: list[dict[str, Any]],
                 industry: str | None) -> Steps[list[dict[str, Any]]]:
    """The documents of `hits`, each with `_score` against the snapshot's statistics."""
    found = yield from candidate_store.store.resolve(uid, hits)
    out = []
    for candidate in found:
        score = snap.text.total_new(rel, textual.listing_of(candidate.doc))
        if score and industry:
            score += INDUSTRY_WEIGHT * _FIT_SCORE[industry_fit(candidate.doc.get("industries", ()), industry)]
        if score:
            score += preference_bonus(plan, float(candidate.doc.get("price_wan") or 0.0),
                                      str(candidate.doc.get("size_fit") or ""))
        out.append({**candidate.doc, "_score": score})
    return out


def _merge_sorted(uid: str, sort: str | None, ids: list[Any], added: list[dict[str, Any]]) -> Steps[list[Any]]:
    """The engine-sorted `ids` with the documents found besides them merged in by the same key."""
    found = yield from candidate_store.store.resolve(uid, [{"id": i} for i in ids])
    field, _, direction = SORTS[sort or ""].partition(":")
    docs = [c.doc for c in found] + added
    return [d["id"] for d in sorted(docs, key=lambda d: _sort_key(d, field, direction == "desc"))]


def _sort_key(doc: dict[str, Any], field: str, descending: bool) -> tuple[int, float]:
    value = doc.get(field)
    if value is None:
        return (1, 0.0)
    return (0, -float(value) if descending else float(value))


def _widened(uid: str, plan: QueryPlan, flt: list[Any], found: _Scored, *, facets: bool,
             sort: str | None) -> Steps[_Scored]:
    """Fewer listings than a page have the query's words: after them, the best-rated
    listings of the scenarios it speaks of (all of the result when none has the words)."""
    shortlist = _shortlist_query(uid, plan, flt)
    if shortlist is None:
        return found
    hits = (yield "multi-search", {"queries": [shortlist]})["results"][0]["hits"]
    extra = [h for h in hits if h["id"] not in set(found.ids)]
    if not extra:
        return found
    docs = [c.doc for c in (yield from candidate_store.store.resolve(uid, extra))]
    if facets:
        _count_facets(found.facets, docs)
    ids = found.ids + [d["id"] for d in docs]
    if sort in SORTS and found.ids:
        ids = yield from _merge_sorted(uid, sort, found.ids, docs)
    elif sort in SORTS:
        field, _, direction = SORTS[sort or ""].partition(":")
        ids = [d["id"] for d in sorted(docs, key=lambda d: _sort_key(d, field, direction == "desc"))]
    return _Scored(ids=ids, scores=found.scores, facets=found.facets,
                   relaxed="scenario" if not found.ids else "widened")


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
    """No query text: the listings that pass the filters, in the engine's (or the sort's) order."""
    started = time.perf_counter()
    params: dict[str, Any] = {
        "q": "", "filter": flt, "hitsPerPage": request.per_page, "page": request.page,
        "attributesToRetrieve": LOCATOR,
    }
    if request.facets:
        params["facets"] = list(SOLUTION_FACETS)
    if request.sort in SORTS:
        params["sort"] = [SORTS[request.sort]]
    result = yield f"indexes/{uid}/search", params
    found = yield from candidate_store.store.resolve(uid, result["hits"])
    hits = [_present(c.doc, None, None) for c in found]
    took = (time.perf_counter() - started) * 1000
    return SearchResult(hits, int(result.get("totalHits", 0)), request.page, request.per_page,
                        result.get("facetDistribution", {}), took, None)


def search_solutions(*, client: meilisearch.Client, prefix: str, request: SearchRequest) -> SearchResult:
    """Search the solutions index as a user would: understood, scored, highlighted.

    Args:
        client: the Meilisearch client.
        prefix: the index prefix (settings.meili_index_prefix).
        request: what was asked (text, facet filters, sort, page, visibility, region).

    Returns:
        A `SearchResult` whose `total`, facets and pages describe one result set.

    Raises:
        meilisearch.errors.MeilisearchError: the server could not be reached or refused.
    """
    return run(client, solution_search(prefix, request, relearn=relearner(client), wait=True))


async def search_solutions_async(*, client: meilisearch.Client, prefix: str, request: SearchRequest) -> SearchResult:
    """`search_solutions` for a coroutine: the event loop goes on while the engine answers."""
    return await run_async(client, solution_search(prefix, request, relearn=relearner(client), wait=False))


def relearner(client: meilisearch.Client) -> Relearn:
    """How a snapshot is relearned in the background: blocking, with the same client."""
    return lambda steps: run(client, steps)


def solution_search(prefix: str, request: SearchRequest, *, relearn: Relearn, wait: bool) -> Steps[SearchResult]:
    """The search of `search_solutions`, as steps (see `search_index.client.run`): `relearn`
    relearns the catalogue's text in the background; with `wait`, a process's first search
    learns it first."""
    uid = index_uid(prefix, "solutions")
    flt = build_filter(request.filters, public_only=request.public_only, regions=request.regions,
                       own_provider_id=request.own_provider_id, region=request.region)
    if not request.q.strip():
        return (yield from _browse(uid, request, flt))
    started = time.perf_counter()
    scored, plan = yield from _text_search(uid, request, flt, relearn, wait)
    first = (request.page - 1) * request.per_page
    page_ids = scored.ids[first:first + request.per_page]
    found = yield from candidate_store.store.resolve(uid, [{"id": i} for i in page_ids])
    pattern = query_pattern(plan)
    hits = [_present(c.doc, pattern, scored.scores.get(c.doc["id"])) for c in found]
    took = (time.perf_counter() - started) * 1000
    return SearchResult(hits, len(scored.ids), request.page, request.per_page, scored.facets, took, plan,
                        relaxed=scored.relaxed)


def ranked_codes(*, client: meilisearch.Client, prefix: str, q: str, industry: str | None = None,
                 region: str | None = None, limit: int = 50, public_only: bool = True) -> list[str]:
    """The codes of the best `limit` solutions for `q` (for evaluation)."""
    request = SearchRequest(q=q, per_page=limit, public_only=public_only, industry=industry, region=region,
                            facets=False)
    return [hit["code"] for hit in search_solutions(client=client, prefix=prefix, request=request).hits]


@dataclass(frozen=True)
class SuggestRequest:
    """What has been typed so far, and who is typing (as in `SearchRequest`)."""

    q: str
    limit: int = 8
    public_only: bool = True
    regions: tuple[str, ...] = ()
    own_provider_id: int | None = None
    region: str | None = None  # the searcher's location (as in `SearchRequest`)
    industry: str | None = None  # the searcher's industry (suggestions do not rank by it)


async def suggest_async(*, client: meilisearch.Client, prefix: str, request: SuggestRequest) -> list[dict[str, Any]]:
    """As-you-type suggestions: solution names (prefix search) and matching scenarios."""
    return await run_async(client, suggestions(prefix, request, relearn=relearner(client)))


def suggestions(prefix: str, request: SuggestRequest, *, relearn: Relearn) -> Steps[list[dict[str, Any]]]:
    """The suggestions of `suggest_async`, as steps (see `search_index.client.run`)."""
    text = request.q.strip()
    if not text:
        return []
    uid = index_uid(prefix, "solutions")
    snap = yield from textual.snapshots.get(uid, relearn)
    understood = snap.understand(text)
    plan = plan_of(understood, snap.text.index, snap.text.relevance(understood).scenarios)
    flt = build_filter({}, public_only=request.public_only, regions=request.regions,
                       own_provider_id=request.own_provider_id, region=request.region)
    result = yield f"indexes/{uid}/search", {
        "q": plan.text, "filter": flt, "limit": request.limit, "attributesToRetrieve": LOCATOR,
        "matchingStrategy": "last",
    }
    found = yield from candidate_store.store.resolve(uid, result["hits"])
    out = [{"kind": "solution", "text": c.doc["name"], "code": c.doc["code"], "id": c.doc["id"]} for c in found]
    out += [{"kind": "scenario", "text": s} for s, share in plan.scenarios[:3] if share >= 0.15]
    return out[:request.limit + 3]
