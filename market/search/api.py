"""GET /api/search and GET /api/search/suggest: the catalogue search over Meilisearch.

The client lives on `app.state.search` (set by the app from MEILI_URL, or by `market serve`
after starting the local server). The routes are coroutines: a search waits for Meilisearch
without blocking the event loop, and is not handed to a worker thread and back (on the
busiest route of the app that hand-over cost more than the query understanding).
Anonymous requests never open a database session; the public sees only 已入库 listings, a
bureau also those of providers in its regions, a provider also its own (see `audience`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Annotated, Any

import meilisearch
import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from meilisearch.errors import MeilisearchError
from pydantic import BaseModel, Field
from requests.exceptions import RequestException
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise
from catalog.errors import MarketError
from catalog.solutions import permissions as solution_rules
from catalog.solutions import queries as solution_queries
from market.errors import error_responses
from market.permissions.declared import PUBLIC, requires
from search_index.client import make_client
from search_index.query import (
    SearchRequest,
    SearchResult,
    SuggestRequest,
    known_sort,
    search_solutions,
    search_solutions_async,
    suggest_async,
)
from search_index.settings import SOLUTION_FACETS, SORTS

router = APIRouter(prefix="/api/search", tags=["搜索"])

SEARCH_DOWN = "搜索服务暂时不可用，请稍后重试"


class SearchUnavailable(MarketError):
    status = 503
    default_code = "search_unavailable"


def get_search_client(request: Request) -> meilisearch.Client:
    """The app's Meilisearch client; 503 when search is not configured."""
    client = getattr(request.app.state, "search", None)
    if client is None:
        settings = request.app.state.settings
        if not settings.meili_url:
            raise SearchUnavailable(message=SEARCH_DOWN)
        client = make_client(settings.meili_url, settings.meili_master_key or None)
        request.app.state.search = client
    return client  # type: ignore[no-any-return]


def _signed(request: Request) -> bool:
    """Whether the request carries something that may identify a user (a cookie, a token)."""
    return bool(request.cookies) or "authorization" in request.headers


@dataclass(frozen=True)
class Audience:
    """Who is searching: what they see besides 已入库 listings (`SearchRequest` fields) and the
    enterprise they search for (None: not an enterprise)."""

    beyond: dict[str, Any] = field(default_factory=dict)
    own: Enterprise | None = None

    @property
    def home(self) -> str | None:
        """The region of the enterprise searching (None: not an enterprise)."""
        return self.own.region if self.own is not None else None

    def fields(self, *, location: str | None = None, outside: bool = False) -> dict[str, Any]:
        """The `SearchRequest` fields of this searcher: visibility, the region the search is
        scoped to (`catalog.solutions.queries.search_region`) and the enterprise's industry."""
        region = solution_queries.search_region(self.own, location=location, outside=outside)
        return {**self.beyond, **({"region": region} if region else {}),
                **({"industry": self.own.industry} if self.own is not None else {})}


def audience(request: Request) -> Audience:
    """Who is searching, as far as it decides what they get.

    Who sees which unpublished listings is `catalog.solutions.permissions.seen_beyond_published`,
    the rule `visible_solutions` is built on (tests/search_index/test_visibility.py checks the
    hits against it): a bureau also sees every listing of the providers in its regions, a
    provider its own listings. An enterprise's region scopes what it gets to what can serve it,
    its industry ranks fitting offerings first. Anonymous requests never open a database session.
    """
    if not _signed(request):
        return Audience()
    from market.auth.current import resolve_user

    with Session(get_engine(request.app.state.database_url), expire_on_commit=False) as session:
        try:
            user = resolve_user(request, session)
        except MarketError:
            return Audience()
        if user is None or not user.active:
            return Audience()
        beyond = solution_rules.seen_beyond_published(user)
        if beyond.regions:
            return Audience({"regions": beyond.regions})
        if beyond.own_provider_id is not None:
            return Audience({"own_provider_id": beyond.own_provider_id})
        return Audience(own=solution_queries.searching_enterprise(session, user))


async def search_client(request: Request) -> meilisearch.Client:
    """`get_search_client` as a dependency that runs on the event loop (a plain function
    dependency would be run in a worker thread)."""
    return get_search_client(request)


async def audience_of(request: Request) -> Audience:
    """`audience`, from a coroutine: a signed-in searcher's account is read in a worker thread."""
    return await run_in_threadpool(audience, request) if _signed(request) else Audience()


SearchClient = Annotated[meilisearch.Client, Depends(search_client)]


class SearchHits(BaseModel):
    """A page of results: hits with highlighted fragments (HTML with <mark>), facet counts."""

    q: str
    hits: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    pages: int
    facets: dict[str, dict[str, int]]
    took_ms: float = Field(description="服务端耗时（毫秒）")
    understood: dict[str, Any] = Field(description="查询理解：纠错、识别的概念与场景")


def _understood(result: SearchResult) -> dict[str, Any]:
    plan = result.plan
    if plan is None:
        return {}
    return {
        "text": plan.text,
        "corrections": [list(c) for c in plan.corrections],
        "concepts": [g.canonical for g in plan.groups],
        "scenarios": plan.understood,
        "preferences": [label for wanted, label in ((plan.frugal, "价格实惠优先"), (plan.small, "适合小微企业优先"))
                        if wanted],
        "relaxed": result.relaxed,
    }


def _filters(request: Request) -> dict[str, list[str]]:
    params = request.query_params
    return {facet: [v for v in params.getlist(facet) if v] for facet in SOLUTION_FACETS if params.getlist(facet)}


@router.get("", response_model=SearchHits, responses=error_responses(422, 503),
            summary="搜索产品和解决方案", openapi_extra=requires(PUBLIC))
async def search(
    request: Request,
    client: SearchClient,
    q: Annotated[str, Query(max_length=200, description="查询，简繁体、全半角、口语均可")] = "",
    sort: Annotated[str | None, Query(description="排序：" + "、".join(SORTS))] = None,
    page: Annotated[int, Query(ge=1, le=200, description="页码")] = 1,
    per_page: Annotated[int, Query(ge=1, le=50, description="每页条数")] = 10,
    industry: Annotated[str | None, Query(max_length=20, description="搜索者所在行业代码，用于优先推荐适配方案")] = None,
    location: Annotated[str | None, Query(max_length=60, description="企业所在地区（如 江西省九江市），只返回服务商服务范围覆盖该地区的方案")] = None,
    outside: Annotated[bool, Query(description="企业账号登录时默认只返回服务本企业所在地区的方案；"
                                               "为 true 时也返回外地服务商的方案（指定 location 时以 location 为准）")] = False,
    facets: Annotated[bool, Query(description="是否返回各筛选项的计数（分面统计）")] = False,
) -> Response:
    """Facet filters are query parameters named after the facet (`scenarios=质量管控`, repeatable);
    `facets=true` adds the counts per facet value (left out by default: they cost more than
    the search itself)."""
    who = await audience_of(request)
    context = {**who.fields(location=location, outside=outside), **({"industry": industry} if industry else {})}
    wanted = SearchRequest(q=q, filters=_filters(request), sort=known_sort(sort),
                           page=page, per_page=per_page, facets=facets, **context)
    try:
        result = await _search(request, client, wanted)
    except (MeilisearchError, RequestException, OSError) as exc:
        raise SearchUnavailable(message=SEARCH_DOWN) from exc
    # Built as plain JSON: the hits are ours, validating them again per request only costs time.
    return Response(orjson.dumps({
        "q": q, "hits": result.hits, "total": result.total, "page": result.page, "per_page": result.per_page,
        "pages": result.pages, "facets": result.facets, "took_ms": round(result.took_ms, 2),
        "understood": _understood(result),
    }), media_type="application/json")


async def _search(request: Request, client: meilisearch.Client, wanted: SearchRequest) -> SearchResult:
    """The search, on the event loop as steps, or (settings.search_in_thread) blocking in a thread."""
    settings = request.app.state.settings
    if settings.search_in_thread:
        return await asyncio.to_thread(search_solutions, client=client, prefix=settings.meili_index_prefix,
                                       request=wanted)
    return await search_solutions_async(client=client, prefix=settings.meili_index_prefix, request=wanted)


@router.get("/suggest", responses=error_responses(503), summary="输入联想", openapi_extra=requires(PUBLIC))
async def suggestions(
    request: Request,
    client: SearchClient,
    q: Annotated[str, Query(max_length=100, description="已输入的文字")] = "",
) -> dict[str, list[dict[str, Any]]]:
    """Solution names and scenarios for what has been typed so far."""
    try:
        items = await suggest_async(client=client, prefix=request.app.state.settings.meili_index_prefix,
                                    request=SuggestRequest(q=q, **(await audience_of(request)).fields()))
    except (MeilisearchError, RequestException, OSError) as exc:
        raise SearchUnavailable(message=SEARCH_DOWN) from exc
    return {"suggestions": items}
