"""JSON API: 产业链关系 (chain links: leader → member)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from catalog.access import load_visible
from catalog.chains import permissions as chain_rules
from catalog.chains import queries as chain_queries
from catalog.chains import service as chain_service
from catalog.chains.models import ChainLink
from catalog.chains.queries import LinkFilter
from catalog.chains.schemas import (
    ChainLinkCreate,
    ChainLinkPublic,
    ChainLinksPublic,
    ChainLinkUpdate,
)
from market.deps import CurrentUser, SessionDep
from market.permissions.declared import BUREAU, CHAIN_LEADER, LOGGED_IN, requires
from market.web.api_common import (
    LIST_ERRORS,
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    Page,
    PerPage,
    RecordId,
    Sort,
    out,
)

router = APIRouter(prefix="/api/chain-links", tags=["产业链关系"])


class ChainLinkPatch(ChainLinkUpdate):
    """Fields to change plus the version the client last read (optimistic concurrency)."""

    version: int


@router.get("", response_model=ChainLinksPublic, responses=LIST_ERRORS, summary="产业链关系列表",
            openapi_extra=requires(LOGGED_IN))
def list_links(
    session: SessionDep, user: CurrentUser, page: Page = 1, per_page: PerPage = 20, sort: Sort = None,
    leader_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="链主企业编号")] = None,
    relation: Annotated[str | None, Query(max_length=10, description="关系：供应商、客户、外协")] = None,
) -> ChainLinksPublic:
    chosen = LinkFilter(leader_id=leader_id, relation=relation or "", sort=sort or "")
    found = chain_queries.list_links(session=session, user=user, chosen=chosen, page=page, per_page=per_page)
    return ChainLinksPublic(data=[out(ChainLinkPublic, link) for link in found.rows], count=found.total)


@router.post("", response_model=ChainLinkPublic, status_code=201, responses=WRITE_ERRORS, summary="新建产业链关系",
             openapi_extra=requires(BUREAU))
def create_link(session: SessionDep, user: CurrentUser, data: ChainLinkCreate) -> ChainLinkPublic:
    link = chain_service.add_link(session=session, user=user, data=data)
    return out(ChainLinkPublic, link)


@router.get("/{link_id}", response_model=ChainLinkPublic, responses=READ_ERRORS, summary="产业链关系详情",
            openapi_extra=requires(BUREAU | CHAIN_LEADER))
def read_link(session: SessionDep, user: CurrentUser, link_id: RecordId) -> ChainLinkPublic:
    return out(ChainLinkPublic, load_visible(session, user, ChainLink, link_id, "产业链关系", chain_rules.can))


@router.patch("/{link_id}", response_model=ChainLinkPublic, responses=WRITE_ERRORS, summary="修改产业链关系",
              openapi_extra=requires(BUREAU))
def update_link(session: SessionDep, user: CurrentUser, link_id: RecordId, patch: ChainLinkPatch) -> ChainLinkPublic:
    link = load_visible(session, user, ChainLink, link_id, "产业链关系", chain_rules.can)
    data = ChainLinkUpdate.model_validate(patch.model_dump(exclude_unset=True, exclude={"version"}))
    chain_service.edit_link(session=session, user=user, link=link, data=data, expected_version=patch.version)
    return out(ChainLinkPublic, link)


@router.delete("/{link_id}", status_code=204, response_class=Response, responses=WRITE_ERRORS,
               summary="删除产业链关系", openapi_extra=requires(BUREAU))
def delete_link(session: SessionDep, user: CurrentUser, link_id: RecordId) -> Response:
    link = load_visible(session, user, ChainLink, link_id, "产业链关系", chain_rules.can)
    chain_service.remove_link(session=session, user=user, link=link)
    return Response(status_code=204)
