"""Public pages: the home page with the pool in numbers, provider and solution browse and
detail pages. Only listings the public may see (已入库) appear."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, col, select

from catalog.engagements import queries as engagement_queries
from catalog.errors import NotFound
from catalog.providers import queries as provider_queries
from catalog.providers.models import Provider, ProviderKind
from catalog.showcase import permissions as showcase_rules
from catalog.showcase import service as showcase
from catalog.solutions import queries as solution_queries
from catalog.solutions.models import Solution
from catalog.taxonomy import taxonomy
from market.deps import OptionalUser, SessionDep
from market.permissions.declared import PUBLIC, requires
from market.public import browse
from market.public.visibility import public_providers, public_solutions
from market.search.ranking import provider_ranking
from market.templating import render
from market.web.page_common import PER_PAGE, Page, industry_choices, parse_int

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse, openapi_extra=requires(PUBLIC))
def home(request: Request, session: SessionDep) -> HTMLResponse:
    """The home page: the pool in numbers and the scenarios it covers."""
    pool = solution_queries.pool_figures(session=session)
    featured = solution_queries.featured_solutions(session=session)
    numbers = {"providers": pool.providers, "solutions": pool.solutions, "enterprises": pool.enterprises,
               "scenarios": pool.scenarios_covered, "scenarios_total": len(pool.per_scenario)}
    context = {
        "numbers": numbers,
        "scenarios": pool.per_scenario,
        "featured": featured,
        "providers": _provider_names(session, {s.provider_id for s in featured}),
    }
    return render(request, "public/home.html", context)


@router.get("/solutions", response_class=HTMLResponse, openapi_extra=requires(PUBLIC))
def solution_list(request: Request, session: SessionDep) -> HTMLResponse:
    """Browse published solutions with filters and paging; a text query goes to the search."""
    chosen = browse.SolutionFilters.from_request(request)
    if chosen.q:
        return RedirectResponse(_as_search(request), status_code=303)  # type: ignore[return-value]
    found = solution_queries.list_solutions(session=session, within=public_solutions(), chosen=chosen.to_filter(),
                                            page=parse_int(request.query_params.get("page"), 1) or 1,
                                            per_page=PER_PAGE, clamp=True)
    page = Page(items=found.rows, total=found.total, page=found.page, per_page=found.per_page)
    context = {
        "page": page,
        "chosen": chosen,
        "providers": _provider_names(session, {s.provider_id for s in page.items}),
        "regions": browse.region_choices(session, public_providers()),
        **_choices(),
    }
    return render(request, "public/solutions.html", context)


@router.get("/solutions/{solution_id}", response_class=HTMLResponse, openapi_extra=requires(PUBLIC))
def solution_detail(request: Request, session: SessionDep, user: OptionalUser, solution_id: int) -> HTMLResponse:
    """One published solution with its provider, its cases and ratings, and 申请对接 for an enterprise."""
    solution = session.exec(public_solutions().where(Solution.id == solution_id)).first()
    if solution is None:
        raise NotFound("solution_not_found", "未找到该产品或方案，可能尚未入库或已下架")
    provider = session.get(Provider, solution.provider_id)
    siblings = solution_queries.solutions_of_provider(session=session, user=None, provider_id=solution.provider_id,
                                                      but=solution.id, limit=6)
    asking = showcase_rules.can_request_contact(user)
    context = {"solution": solution, "provider": provider, "siblings": siblings,
               "cases": showcase.cases_of(session=session, solution_id=solution_id),
               "reviews": showcase.reviews_of(session=session, solution_id=solution_id),
               "may_ask": asking, "signed_in": user is not None,
               "asked": engagement_queries.open_engagement(session=session, enterprise_id=int(user.enterprise_id or 0),
                                                 solution_id=solution_id) if asking and user else None}
    return render(request, "public/solution_detail.html", context)


@router.get("/providers", response_class=HTMLResponse, openapi_extra=requires(PUBLIC))
def provider_list(request: Request, session: SessionDep) -> HTMLResponse:
    """Browse published providers with filters and paging."""
    chosen = browse.ProviderFilters.from_request(request)
    ranked = provider_ranking(request, chosen.q)
    found = provider_queries.list_providers(session=session, within=public_providers(), chosen=chosen.to_filter(),
                                            ranked=ranked, page=parse_int(request.query_params.get("page"), 1) or 1,
                                            per_page=PER_PAGE, clamp=True)
    page = Page(items=found.rows, total=found.total, page=found.page, per_page=found.per_page)
    counts = solution_queries.listed_counts(session=session, provider_ids=[p.id for p in page.items if p.id is not None])
    context = {
        "page": page,
        "chosen": chosen,
        "counts": counts,
        "regions": browse.region_choices(session, public_providers()),
        "kinds": [k.value for k in ProviderKind],
        "by_relevance": ranked is not None,
        **_choices(),
    }
    return render(request, "public/providers.html", context)


@router.get("/providers/{provider_id}", response_class=HTMLResponse, openapi_extra=requires(PUBLIC))
def provider_detail(request: Request, session: SessionDep, provider_id: int) -> HTMLResponse:
    """One published provider with its published solutions."""
    provider = session.exec(public_providers().where(Provider.id == provider_id)).first()
    if provider is None:
        raise NotFound("provider_not_found", "未找到该服务商，可能尚未入库或已退出")
    solutions = solution_queries.solutions_of_provider(session=session, user=None, provider_id=provider.id or 0)
    lead = provider_queries.lead_of(session, None, provider)
    context = {"provider": provider, "solutions": solutions, "lead": lead}
    return render(request, "public/provider_detail.html", context)


# The browse filters that the search knows by another name.
_SEARCH_FACETS = {"scenario": "scenarios", "industry": "industries", "deployment": "deployment",
                  "billing": "billing", "size_fit": "size_fit", "target_level": "target_level"}


def _as_search(request: Request) -> str:
    """The search URL for a browse query with text: the same engine as the header's box."""
    params = [("q", request.query_params.get("q", "").strip()[:200])]
    params += [(_SEARCH_FACETS[k], v) for k, v in request.query_params.multi_items()
               if k in _SEARCH_FACETS and v.strip()]
    return "/search?" + urlencode(params)


def _provider_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Provider.id, Provider.name).where(col(Provider.id).in_(ids))).all()
    return {int(pid): name for pid, name in rows if pid is not None}


def _choices() -> dict[str, object]:
    tax = taxonomy()
    return {
        "scenario_choices": tax.scenarios,
        "industry_choices": industry_choices(),
        "deployment_choices": tax.deployment,
        "sort_choices": browse.SOLUTION_SORTS,
    }
