"""JSON API: 服务商 (providers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlmodel import select

from catalog.access import load_visible
from catalog.providers import permissions as provider_rules
from catalog.providers import queries as provider_queries
from catalog.providers import review
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.providers.queries import ProviderFilter
from catalog.providers.schemas import (
    ProviderCreate,
    ProviderPublic,
    ProvidersPublic,
    ProviderUpdate,
)
from catalog.revisions import service as revisions
from catalog.users.models import User
from market.deps import CurrentUser, OptionalUser, SessionDep
from market.permissions.declared import BUREAU, PROVIDER, PUBLIC, requires
from market.search.ranking import provider_ranking
from market.web.api_common import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    Page,
    PerPage,
    Q,
    RecordId,
    Sort,
    StatusChange,
    out,
)

router = APIRouter(prefix="/api/providers", tags=["服务商"])


class ProviderPatch(ProviderUpdate):
    """Fields to change plus the version the client last read (optimistic concurrency)."""

    version: int


@router.get("", response_model=ProvidersPublic, responses=LIST_ERRORS, summary="服务商列表",
            openapi_extra=requires(PUBLIC))
def list_providers(
    request: Request, session: SessionDep, user: OptionalUser, page: Page = 1, per_page: PerPage = 20, sort: Sort = None,
    q: Q = None,
    status: Annotated[ListingStatus | None, Query(description="状态")] = None,
    region: Annotated[str | None, Query(max_length=60, description="地区：服务商位于该地区或服务该地区")] = None,
    scenario: Annotated[str | None, Query(max_length=40, description="能力场景")] = None,
    industry: Annotated[str | None, Query(max_length=40, description="服务行业（代码或名称）")] = None,
    kind: Annotated[str | None, Query(max_length=20, description="服务商类型")] = None,
) -> ProvidersPublic:
    chosen = ProviderFilter(q=q or "", status=status.value if status else None, region=region or "",
                            scenario=scenario or "", industry=industry or "", kind=kind or "", sort=sort or "")
    found = provider_queries.list_providers(session=session, within=provider_rules.visible_providers(user, select(Provider)),
                                            chosen=chosen, ranked=provider_ranking(request, chosen.q),
                                            page=page, per_page=per_page)
    return ProvidersPublic(data=[out(ProviderPublic, p) for p in found.rows], count=found.total)


@router.post("", response_model=ProviderPublic, status_code=201, responses=WRITE_ERRORS, summary="新建服务商",
             openapi_extra=requires(BUREAU))
def create_provider(session: SessionDep, user: CurrentUser, data: ProviderCreate) -> ProviderPublic:
    provider = provider_service.register_provider(session=session, user=user, data=data)
    return out(ProviderPublic, provider)


def _load(session: SessionDep, user: User | None, provider_id: RecordId) -> Provider:
    return load_visible(session, user, Provider, provider_id, "服务商", provider_rules.can)


@router.get("/{provider_id}", response_model=ProviderPublic, responses=READ_ERRORS, summary="服务商详情",
            openapi_extra=requires(PUBLIC))
def read_provider(session: SessionDep, user: OptionalUser, provider_id: RecordId) -> ProviderPublic:
    return out(ProviderPublic, _load(session, user, provider_id))


class ProviderEdited(ProviderPublic):
    """The provider as published after an edit, and what the edit did."""

    applied: list[str] = Field(default_factory=list, description="已直接生效的字段（如联系人、联系电话）")
    pending_revision_id: int | None = Field(default=None, description="待主管部门审核的修改编号（公开内容审核通过后才替换）")


@router.patch("/{provider_id}", response_model=ProviderEdited, responses=WRITE_ERRORS,
              summary="修改服务商（服务商修改已入库资料时生成待审核的修改，公开内容不变）", openapi_extra=requires(BUREAU | PROVIDER))
def update_provider(session: SessionDep, user: CurrentUser, provider_id: RecordId, patch: ProviderPatch) -> ProviderEdited:
    provider = _load(session, user, provider_id)
    changes = patch.model_dump(exclude_unset=True, exclude={"version"})
    outcome = revisions.edit_listing(session=session, user=user, record=provider,
                                     data=ProviderUpdate.model_validate(changes), expected_version=patch.version)
    return out(ProviderEdited, provider, applied=outcome.applied,
               pending_revision_id=outcome.revision.id if outcome.revision else None)


@router.post("/{provider_id}/status", response_model=ProviderPublic, responses=WRITE_ERRORS,
             summary="变更服务商状态（审核、入库、暂停、退出）", openapi_extra=requires(BUREAU))
def change_status(session: SessionDep, user: CurrentUser, provider_id: RecordId, body: StatusChange) -> ProviderPublic:
    provider = _load(session, user, provider_id)
    review.move(session=session, user=user, record=provider, status=body.status, remark=body.remark)
    return out(ProviderPublic, provider)
