"""JSON API: 试点企业 (enterprises)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import select

from catalog import limits as lim
from catalog.access import load_visible
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises import queries as enterprise_queries
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise
from catalog.enterprises.queries import EnterpriseFilter
from catalog.enterprises.schemas import (
    EnterpriseCreate,
    EnterprisePublic,
    EnterprisesPublic,
    EnterpriseUpdate,
)
from market.deps import CurrentUser, OptionalUser, SessionDep
from market.permissions.declared import BUREAU, ENTERPRISES, PUBLIC, requires
from market.web.api_common import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    Page,
    PerPage,
    Q,
    RecordId,
    Sort,
    out,
)

router = APIRouter(prefix="/api/enterprises", tags=["试点企业"])


class EnterprisePatch(EnterpriseUpdate):
    """Fields to change plus the version the client last read (optimistic concurrency)."""

    version: int


@router.get("", response_model=EnterprisesPublic, responses=LIST_ERRORS, summary="试点企业列表",
            openapi_extra=requires(PUBLIC))
def list_enterprises(
    session: SessionDep, user: OptionalUser, page: Page = 1, per_page: PerPage = 20, sort: Sort = None,
    q: Q = None,
    region: Annotated[str | None, Query(max_length=60, description="所在地区（前缀）")] = None,
    industry: Annotated[str | None, Query(max_length=40, description="细分行业（代码或名称）")] = None,
    size: Annotated[str | None, Query(max_length=10, description="企业规模")] = None,
    level: Annotated[str | None, Query(max_length=10, description="数字化水平")] = None,
    batch: Annotated[int | None, Query(ge=1, le=lim.BATCH, description="试点批次")] = None,
) -> EnterprisesPublic:
    chosen = EnterpriseFilter(q=q or "", region=region or "", industry=industry or "", size=size or "",
                              level=level or "", batch=batch, sort=sort or "")
    found = enterprise_queries.list_enterprises(session=session, within=enterprise_rules.visible_enterprises(user, select(Enterprise)),
                                                chosen=chosen, page=page, per_page=per_page)
    return EnterprisesPublic(data=[out(EnterprisePublic, e) for e in found.rows], count=found.total)


@router.post("", response_model=EnterprisePublic, status_code=201, responses=WRITE_ERRORS, summary="新建试点企业",
             openapi_extra=requires(BUREAU))
def create_enterprise(session: SessionDep, user: CurrentUser, data: EnterpriseCreate) -> EnterprisePublic:
    enterprise = enterprise_service.register_enterprise(session=session, user=user, data=data)
    return out(EnterprisePublic, enterprise)


@router.get("/{enterprise_id}", response_model=EnterprisePublic, responses=READ_ERRORS, summary="试点企业详情",
            openapi_extra=requires(BUREAU | ENTERPRISES))
def read_enterprise(session: SessionDep, user: OptionalUser, enterprise_id: RecordId) -> EnterprisePublic:
    return out(EnterprisePublic, load_visible(session, user, Enterprise, enterprise_id, "试点企业", enterprise_rules.can))


@router.patch("/{enterprise_id}", response_model=EnterprisePublic, responses=WRITE_ERRORS, summary="修改试点企业",
              openapi_extra=requires(BUREAU | ENTERPRISES))
def update_enterprise(
    session: SessionDep, user: CurrentUser, enterprise_id: RecordId, patch: EnterprisePatch
) -> EnterprisePublic:
    enterprise = load_visible(session, user, Enterprise, enterprise_id, "试点企业", enterprise_rules.can)
    changes = patch.model_dump(exclude_unset=True, exclude={"version"})
    enterprise_service.edit_enterprise(session=session, user=user, enterprise=enterprise,
                                       data=EnterpriseUpdate.model_validate(changes), expected_version=patch.version)
    return out(EnterprisePublic, enterprise)
