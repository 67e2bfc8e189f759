"""Searching the catalogue: query understanding, one result set, highlights, facets, pages.

A text query is understood and scored over the catalogue as learned from the index
(`search_index.textual`, `catalog.language`): the listings with text support that the
searcher may get (visibility, facets, the searcher's region) form the result set, which is
filtered, counted and sorted over the snapshot's facts (`search_index.facts`, the same
filter Meilisearch is given when it answers). Between probes for changes a text search
asks the engine nothing; only while a process has no snapshot yet are the engine's hits
for the key terms scored on the fly.

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
import numpy as np

from catalog.errors import ValidationFailed
from catalog.language.query import best_first
from catalog.regions import province
from catalog.taxonomy import IndustryFit, industry_fit
from search_index import candidates as candidate_store
from search_index import textual
from search_index.analysis import QueryPlan, plan_of
from search_index.client import Steps, index_uid, run, run_async
from search_index.facts import Condition, Filter, admits, count_facets, render, sort_key
from search_index.settings import LOCATOR, SOLUTION_FACETS, SORTS
from search_index.textual import Relearn, Snapshot

# A result set holds the listings with text support, at most MAX_SET. Past the first page, a
# listing scoring under TAIL_SHARE of the best is left out: the long tail of a common word
# is noise, not results.
MAX_SET = 150
TAIL_SHARE = 0.1
FRESH_CANDIDATES = 30  # the engine's hits scored while no snapshot is learnt
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


def known_sort(sort: str | None) -> str | None:
    """`sort` when the search knows it (SORTS), None for none; another is refused in Chinese,
    naming the choices, as every list refuses an unknown sort."""
    if not sort:
        return None
    if sort not in SORTS:
        raise ValidationFailed("bad_sort", f"不支持按“{sort}”排序，可选：{'、'.join(SORTS)}")
    return sort


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
    facets: bool = True  # count facet values


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


def visibility_filter(*, regions: tuple[str, ...] = (), own_provider_id: int | None = None) -> tuple[Condition, ...]:
    """What a searcher may see, as alternatives (OR): public listings, listings of providers
    in `regions` (region prefixes), and the listings of `own_provider_id`."""
    out: list[Condition] = [("public", True)]
    out += [("region_prefixes", r) for r in regions if r]
    if own_provider_id is not None:
        out.append(("provider_id", int(own_provider_id)))
    return tuple(out)


def served_filter(region: str | None) -> tuple[Condition, ...]:
    """Listings whose provider serves `region` (nationwide, or its province)."""
    place = province(region)
    return (("served", "全国"), ("served", place)) if place else ()


def build_filter(filters: dict[str, list[str]], *, public_only: bool, regions: tuple[str, ...] = (),
                 own_provider_id: int | None = None, region: str | None = None) -> Filter:
    """The filter (AND of ORs, `search_index.facts`) of facet selections, visibility and the
    searcher's region."""
    out: list[tuple[Condition, ...]] = []
    if public_only:
        out.append(visibility_filter(regions=regions, own_provider_id=own_provider_id))
    served = served_filter(region)
    if served:
        out.append(served)
    for facet, values in sorted(filters.items()):
        if facet not in SOLUTION_FACETS or not values:
            continue
        out.append((("excellent", True),) if facet == "excellent" else tuple((facet, v) for v in values))
    return tuple(out)


@dataclass(frozen=True)
class _Answer:
    """The one result set of a text query under one filter, remembered by the snapshot
    (queries recur): ids in relevance order, their scores, facet counts, and the documents
    of listings the snapshot learnt after (`textual.Changes`) or never held."""

    plan: QueryPlan
    ids: tuple[Any, ...]
    scores: dict[Any, float]
    facets: dict[str, dict[str, int]]
    fresh: dict[Any, dict[str, Any]]
    relaxed: str | None = None
    # Pages of hits as shown (highlighted), by (sort, page, per page): the documents of an
    # answer do not change while it is remembered, so neither do its pages.
    shown: dict[tuple[str | None, int, int], list[dict[str, Any]]] = field(
        default_factory=dict, compare=False, hash=False, repr=False)


def _fits(snap: Snapshot, industry: str) -> np.ndarray:
    """How well each held listing fits the searcher's industry (remembered per industry)."""
    found = snap.fits.get(industry)
    if found is None:
        column = snap.facts.columns["industries"]
        found = snap.fits[industry] = np.fromiter(
            (_FIT_SCORE[industry_fit(tuple(c or ()), industry)] for c in column), dtype=float, count=snap.facts.size)
    return found  # type: ignore[no-any-return]


def _bonus(plan: QueryPlan, industry: str | None, doc: dict[str, Any]) -> float:
    """What fitting the searcher's industry and the query's preferences add to one listing."""
    bonus = INDUSTRY_WEIGHT * _FIT_SCORE[industry_fit(tuple(doc.get("industries") or ()), industry)] if industry else 0.0
    return bonus + preference_bonus(plan, float(doc.get("price_wan") or 0.0), str(doc.get("size_fit") or ""))


def _bonuses(snap: Snapshot, plan: QueryPlan, industry: str | None) -> np.ndarray | float:
    """`_bonus` of every held listing."""
    out: np.ndarray | float = INDUSTRY_WEIGHT * _fits(snap, industry) if industry else 0.0
    if plan.frugal:
        prices = np.array([float(p or 0.0) for p in snap.facts.columns["price_wan"]])
        out = out + PRICE_WEIGHT / (1.0 + np.maximum(prices, 0.0) / PRICE_SCALE_WAN)
    if plan.small:
        out = out + SMALL_WEIGHT * np.array([f in SMALL_FIT for f in snap.facts.columns["size_fit"]])
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


def _allowed(snap: Snapshot, flt: Filter) -> np.ndarray:
    """The held listings a searcher may get under `flt`, less those changed or deleted since."""
    allowed = snap.facts.mask(flt)
    if snap.changes.gone:
        allowed = allowed.copy()
        allowed[[snap.position[i] for i in snap.changes.gone if i in snap.position]] = False
    return allowed


def _compute(snap: Snapshot, request: SearchRequest, flt: Filter, extra: list[dict[str, Any]]) -> _Answer:
    """The result set of a text query (see `_text_search`); `extra`: documents besides the
    snapshot's, already filtered (the engine's hits while no snapshot is learnt)."""
    understood = snap.understand(request.q, correct=not request.as_typed)
    rel = snap.text.relevance(understood)
    plan = plan_of(understood, snap.text.index, rel.scenarios)
    every = snap.text.totals(rel)
    total = np.where(_allowed(snap, flt), every, 0.0)
    found = [(snap.ids[pos], float(total[pos]), pos) for pos in best_first(total, MAX_SET).tolist() if total[pos] > 0]
    fresh = {d["id"]: d for d in [*(d for d in snap.changes.docs if admits(d, flt)), *extra]}
    for doc_id, doc in fresh.items():
        value = snap.text.total_new(rel, textual.listing_of(doc))
        if value > 0:
            found.append((doc_id, value, -1))
    # the set is decided by the text; the searcher's industry and the query's preferences reorder it
    found.sort(key=lambda item: -item[1])
    # text support is judged against the catalogue's best answer, not the best this searcher may get
    best = max([float(every.max()) if every.size else 0.0, *(value for _, value, pos in found if pos < 0)])
    bonuses = _bonuses(snap, plan, request.industry)

    def bonus(doc_id: Any, value: float, pos: int) -> float:
        if value < TAIL_SHARE * best:  # a weak match only fills the page: nothing lifts it
            return 0.0
        if pos < 0:
            return _bonus(plan, request.industry, fresh[doc_id])
        return float(bonuses if isinstance(bonuses, float) else bonuses[pos])

    kept = [(doc_id, value + bonus(doc_id, value, pos)) for rank, (doc_id, value, pos) in enumerate(found[:MAX_SET])
            if rank < WIDEN_BELOW or value >= TAIL_SHARE * best]
    kept.sort(key=lambda item: -item[1])
    ids = [doc_id for doc_id, _ in kept]
    relaxed = None
    if len(ids) < WIDEN_BELOW:
        more = _scenario_best(snap, plan, flt, fresh, exclude=set(ids))
        relaxed = ("widened" if ids else "scenario") if more else None
        ids += more
    rows = [fresh[i] if i in fresh else snap.facts.row(snap.position[i]) for i in ids]
    return _Answer(plan, tuple(ids), dict(kept), count_facets(rows),
                   {i: fresh[i] for i in ids if i in fresh}, relaxed)


def _scenario_best(snap: Snapshot, plan: QueryPlan, flt: Filter, fresh: dict[Any, dict[str, Any]],
                   exclude: set[Any]) -> list[Any]:
    """The best-rated listings of the scenarios the query mainly speaks of (that widen a set
    shorter than a page, or stand in for one when nothing has the words)."""
    scenarios = [s for s, share in plan.scenarios[:2] if share >= 0.2]
    if not scenarios:
        return []
    wanted = (tuple(("scenarios", s) for s in scenarios),)
    allowed = _allowed(snap, flt) & snap.facts.mask(wanted)
    rows = [(snap.ids[p], snap.facts.row(p)) for p in np.flatnonzero(allowed).tolist()]
    rows += [(i, d) for i, d in fresh.items() if admits(d, wanted)]
    rows.sort(key=lambda item: (-float(item[1].get("rating") or 0.0), not item[1].get("excellent")))
    return [i for i, _ in rows if i not in exclude][:SCENARIO_CANDIDATES]


def _engine_hits(uid: str, plan: QueryPlan, flt: Filter) -> Steps[list[dict[str, Any]]]:
    """The engine's hits for the query's key terms (while no snapshot is learnt)."""
    engine_q = plan.engine_query()
    if not engine_q:
        return []
    hits = (yield f"indexes/{uid}/search", {
        "q": engine_q, "filter": render(flt), "limit": FRESH_CANDIDATES, "matchingStrategy": "frequency",
        "attributesToRetrieve": LOCATOR})["hits"]
    return [c.doc for c in (yield from candidate_store.store.resolve(uid, hits))]


def _text_search(uid: str, request: SearchRequest, flt: Filter, relearn: Relearn,
                 wait: bool) -> Steps[_Answer]:
    """The one result set of a text query, with what was understood.

    The set is every listing with text support (scored over the learned catalogue, its
    scenario prior and the searcher's industry) that passes the searcher's filter, with
    the documents written to the index since the snapshot was learnt scored on the fly,
    best first: a page's worth whatever their score, then those scoring at least
    TAIL_SHARE of the best, at most MAX_SET. It is filtered, counted and sorted over the
    snapshot's facts, so `total`, facets, sort and pages all describe it. A set shorter
    than a page is followed by the best-rated listings of the scenarios the query speaks
    of (all of it when nothing has the words).
    """
    snap = yield from textual.snapshots.get(uid, None if wait else relearn)
    yield from textual.snapshots.follow(uid, snap, relearn)
    key = (request.q, request.as_typed, request.industry, flt, snap.changes.version)
    found = snap.answers.get(key)
    if found is None:
        extra: list[dict[str, Any]] = []
        if not snap.learnt:
            understood = snap.understand(request.q, correct=not request.as_typed)
            plan = plan_of(understood, snap.text.index, [])
            extra = yield from _engine_hits(uid, plan, flt)
        found = _compute(snap, request, flt, extra)
        if snap.learnt:
            snap.answers[key] = found
    return found


def _sorted(snap: Snapshot, answer: _Answer, sort: str) -> list[Any]:
    """The result set in the order of `sort` (ties in relevance order)."""
    def row(doc_id: Any) -> dict[str, Any]:
        return answer.fresh[doc_id] if doc_id in answer.fresh else snap.facts.row(snap.position[doc_id])
    return sorted(answer.ids, key=lambda i: sort_key(row(i), sort))


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


def _browse(uid: str, request: SearchRequest, flt: Filter) -> Steps[SearchResult]:
    """No query text: the listings that pass the filters, in the engine's (or the sort's) order."""
    started = time.perf_counter()
    params: dict[str, Any] = {
        "q": "", "filter": render(flt), "hitsPerPage": request.per_page, "page": request.page,
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
    answer = yield from _text_search(uid, request, flt, relearn, wait)
    sort = request.sort if request.sort in SORTS else None
    hits = answer.shown.get((sort, request.page, request.per_page))
    if hits is None:
        hits = yield from _page(uid, answer, sort, request.page, request.per_page)
    took = (time.perf_counter() - started) * 1000
    return SearchResult(hits, len(answer.ids), request.page, request.per_page,
                        answer.facets if request.facets else {}, took, answer.plan, relaxed=answer.relaxed)


def _page(uid: str, answer: _Answer, sort: str | None, page: int, per_page: int) -> Steps[list[dict[str, Any]]]:
    """One page of `answer` in the order of `sort`, highlighted; remembered on the answer
    when every document was found (a document the store could not give is asked for again)."""
    snap = textual.snapshots.peek(uid) or textual.EMPTY
    ids = _sorted(snap, answer, sort) if sort else list(answer.ids)
    first = (page - 1) * per_page
    page_ids = ids[first:first + per_page]
    docs = yield from _documents(uid, snap, answer, page_ids)
    pattern = query_pattern(answer.plan)
    hits = [_present(doc, pattern, answer.scores.get(doc["id"])) for doc in docs]
    if len(hits) == len(page_ids):
        answer.shown[(sort, page, per_page)] = hits
    return hits


def _documents(uid: str, snap: Snapshot, answer: _Answer, ids: list[Any]) -> Steps[list[dict[str, Any]]]:
    """The documents to show for `ids`, in order (held ones from the candidate store)."""
    held = [{"id": i, "rev": snap.revs[snap.position[i]]} for i in ids if i not in answer.fresh and i in snap.position]
    docs = {c.doc["id"]: c.doc for c in (yield from candidate_store.store.resolve(uid, held))}
    docs.update({i: {k: d[k] for k in candidate_store.FIELDS if k in d} for i, d in answer.fresh.items()})
    return [docs[i] for i in ids if i in docs]


def ranked_codes(*, client: meilisearch.Client, prefix: str, q: str, industry: str | None = None,
                 region: str | None = None, limit: int = 50, public_only: bool = True) -> list[str]:
    """The codes of the best `limit` solutions for `q` (for evaluation)."""
    request = SearchRequest(q=q, per_page=limit, public_only=public_only, industry=industry, region=region,
                            facets=False)
    return [hit["code"] for hit in search_solutions(client=client, prefix=prefix, request=request).hits]


def ranked_providers(*, client: meilisearch.Client, prefix: str, q: str, public_only: bool = True) -> list[int]:
    """Providers in the order of their best listing in the result set of `q` (the provider
    list's text search: the same understanding and the same set as the search page)."""
    return run(client, _providers_of(prefix, SearchRequest(q=q, public_only=public_only, facets=False),
                                     relearner(client)))


def _providers_of(prefix: str, request: SearchRequest, relearn: Relearn) -> Steps[list[int]]:
    uid = index_uid(prefix, "solutions")
    flt = build_filter({}, public_only=request.public_only)
    answer = yield from _text_search(uid, request, flt, relearn, wait=True)
    snap = textual.snapshots.peek(uid) or textual.EMPTY
    column = snap.facts.columns["provider_id"]
    owners = (answer.fresh[i]["provider_id"] if i in answer.fresh else column[snap.position[i]] for i in answer.ids)
    return [int(p) for p in dict.fromkeys(owners) if p is not None]


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
    """As-you-type suggestions: the names the search would answer first, and its scenarios."""
    return await run_async(client, suggestions(prefix, request, relearn=relearner(client)))


def suggestions(prefix: str, request: SuggestRequest, *, relearn: Relearn) -> Steps[list[dict[str, Any]]]:
    """The suggestions of `suggest_async`, as steps (see `search_index.client.run`): the
    first listings of the search's own result set for what has been typed (a word typed
    halfway still matches by its characters), those with text support only, and the
    scenarios the text speaks of. The engine's prefix search is not used (it is disabled:
    keeping its prefix tables costs every write seconds on a large index)."""
    text = request.q.strip()
    if not text:
        return []
    uid = index_uid(prefix, "solutions")
    flt = build_filter({}, public_only=request.public_only, regions=request.regions,
                       own_provider_id=request.own_provider_id, region=request.region)
    search = SearchRequest(q=text, per_page=request.limit, public_only=request.public_only, regions=request.regions,
                           own_provider_id=request.own_provider_id, region=request.region, facets=False)
    answer = yield from _text_search(uid, search, flt, relearn, wait=False)
    ids = [i for i in answer.ids if i in answer.scores][:request.limit]
    docs = yield from _documents(uid, textual.snapshots.peek(uid) or textual.EMPTY, answer, ids)
    out = [{"kind": "solution", "text": d["name"], "code": d["code"], "id": d["id"]} for d in docs]
    out += [{"kind": "scenario", "text": s} for s in answer.plan.understood]
    return out[:request.limit + 3]
