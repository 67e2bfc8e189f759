"""The search page (/search): query box with suggestions, facet filters with counts,
highlighted result cards, paging and a helpful empty state."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from meilisearch.errors import MeilisearchError
from requests.exceptions import RequestException

from catalog.regions import province, serves
from catalog.taxonomy import taxonomy
from market.permissions.declared import PUBLIC, requires
from market.search.api import SearchUnavailable, _filters, audience, get_search_client
from market.templating import render
from search_index.query import SearchRequest, SearchResult, search_solutions
from search_index.settings import SOLUTION_FACETS, SORTS

router = APIRouter(include_in_schema=False)

SORT_LABELS = {"": "相关度", "price_asc": "价格从低到高", "price_desc": "价格从高到低",
               "days_asc": "上线最快", "rating_desc": "评价最高", "newest": "最新上架"}
PER_PAGE = 10


def _link(request: Request, **changes: Any) -> str:
    """The current search URL with parameters replaced, added (tuple) or removed (None)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes and k != "page"]
    for key, value in changes.items():
        if isinstance(value, tuple):
            params += [(key, v) for v in value]
        elif value is not None:
            params.append((key, str(value)))
    return "/search?" + urlencode(params)


def _facet_links(request: Request, result: SearchResult, chosen: dict[str, list[str]]) -> list[dict[str, Any]]:
    names = taxonomy().industries
    groups = []
    for facet, title in SOLUTION_FACETS.items():
        counts = result.facets.get(facet, {})
        values = []
        for value, count in sorted(counts.items(), key=lambda item: -item[1])[:12]:
            picked = value in chosen.get(facet, [])
            others = tuple(v for v in chosen.get(facet, []) if v != value)
            label = {"true": "优秀产品", "false": None}.get(value, _industry_label(names, value)) if facet in (
                "excellent", "industries") else value
            if label is None:
                continue
            values.append({"label": label, "count": count, "picked": picked,
                           "url": _link(request, **{facet: others if picked else (*others, value)})})
        if values:
            groups.append({"title": title, "values": values})
    return groups


def _industry_label(names: dict[str, str], code: str) -> str:
    """An industry code as users read it (通用 stays 通用; the taxonomy marks it with *)."""
    name = names.get(code, code)
    return code if name == "*" else name


@router.get("/search", response_class=HTMLResponse, openapi_extra=requires(PUBLIC))
def search_page(request: Request, q: str = "", sort: str = "", page: int = 1, typed: int = 0,
                outside: int = 0) -> HTMLResponse:
    """搜索页. A signed-in enterprise sees only offerings whose provider serves its region,
    unless it asks for the others too (`outside=1`: they are marked)."""
    chosen = _filters(request)
    who = audience(request)
    home = who.home
    wanted = SearchRequest(q=q[:200], filters=chosen, sort=sort if sort in SORTS else None, as_typed=bool(typed),
                           page=max(1, min(page, 200)), per_page=PER_PAGE, **who.fields(outside=bool(outside)))
    result: SearchResult | None = None
    unavailable = False
    try:
        result = search_solutions(client=get_search_client(request),
                                  prefix=request.app.state.settings.meili_index_prefix, request=wanted)
    except (SearchUnavailable, MeilisearchError, RequestException, OSError):
        unavailable = True
    plan = result.plan if result else None
    context = {
        "q": q, "sort": sort, "result": result, "unavailable": unavailable,
        "facets": _facet_links(request, result, chosen) if result else [],
        "sorts": [{"label": label, "url": _link(request, sort=key or None), "picked": key == sort}
                  for key, label in SORT_LABELS.items()],
        "corrected": "、".join(fixed for _typed, fixed in plan.corrections) if plan and plan.corrections else None,
        "typed": "、".join(typed for typed, _fixed in plan.corrections) if plan and plan.corrections else None,
        "as_typed_url": _link(request, typed="1"),
        "header_q": q,
        "served_in": province(wanted.region),
        "home": province(home) if outside else None,
        "away": {h["id"] for h in result.hits if home and not serves(h.get("service_regions") or (), home)}
        if result and outside else set(),
        "outside_url": _link(request, outside="1"), "inside_url": _link(request, outside=None),
        "nearby": [{"label": s, "url": "/search?" + urlencode({"scenarios": s})}
                   for s, _share in (plan.scenarios if plan else ())][:4],
        "all_scenarios": [{"label": s, "url": "/search?" + urlencode({"scenarios": s})} for s in taxonomy().scenarios],
        "pages": _pages(request, result) if result else [],
        "clear_url": "/search?" + urlencode({"q": q}) if chosen else None,
    }
    return render(request, "search.html", context)


def _pages(request: Request, result: SearchResult) -> list[dict[str, Any]]:
    last = min(result.pages, 200)
    numbers = sorted({1, last, *range(max(1, result.page - 2), min(last, result.page + 2) + 1)})
    return [{"n": n, "current": n == result.page, "url": _link(request, page=n)} for n in numbers]
