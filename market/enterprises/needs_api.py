"""JSON API: 需求 (an enterprise's need list). Providers never see needs through this API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from catalog.access import load_visible
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises import queries as enterprise_queries
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise, Need
from catalog.enterprises.queries import NeedFilter
from catalog.enterprises.schemas import NeedCreate, NeedPublic, NeedsPublic, NeedUpdate
from market.deps import CurrentUser, SessionDep
from market.errors import error_responses
from market.permissions.declared import BUREAU, ENTERPRISES, requires
from market.web.api_common import (
    LIST_ERRORS,
    MAX_ID,
    WRITE_ERRORS,
    Page,
    PerPage,
    RecordId,
    Sort,
    out,
)

router = APIRouter(tags=["需求清单"])


class NeedPatch(NeedUpdate):
    """Fields to change plus the version the client last read (optimistic concurrency)."""

    version: int


class NeedOrder(BaseModel):
    need_ids: list[int] = Field(max_length=1000, description="该企业全部需求的编号，按新的先后顺序")


@router.get("/api/needs", response_model=NeedsPublic, responses=LIST_ERRORS, summary="需求列表",
            openapi_extra=requires(BUREAU | ENTERPRISES))
def list_needs(
    session: SessionDep, user: CurrentUser, page: Page = 1, per_page: PerPage = 20, sort: Sort = None,
    enterprise_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="企业编号")] = None,
    scenario: Annotated[str | None, Query(max_length=40, description="应用场景")] = None,
    priority: Annotated[str | None, Query(max_length=2, description="优先级：高、中、低")] = None,
) -> NeedsPublic:
    chosen = NeedFilter(enterprise_id=enterprise_id, scenario=scenario or "", priority=priority or "", sort=sort or "")
    found = enterprise_queries.list_needs(session=session, user=user, chosen=chosen, page=page, per_page=per_page)
    return NeedsPublic(data=[out(NeedPublic, n) for n in found.rows], count=found.total)


@router.post("/api/enterprises/{enterprise_id}/needs", response_model=NeedPublic, status_code=201,
             responses=WRITE_ERRORS, summary="为企业添加需求", openapi_extra=requires(BUREAU | ENTERPRISES))
def create_need(session: SessionDep, user: CurrentUser, enterprise_id: RecordId, data: NeedCreate) -> NeedPublic:
    enterprise = load_visible(session, user, Enterprise, enterprise_id, "试点企业", enterprise_rules.can)
    need = enterprise_service.add_need(session=session, user=user, enterprise=enterprise, data=data)
    return out(NeedPublic, need)


@router.post("/api/enterprises/{enterprise_id}/needs/order", response_model=NeedsPublic,
             responses=WRITE_ERRORS, summary="调整需求的先后顺序", openapi_extra=requires(BUREAU | ENTERPRISES))
def reorder_needs(session: SessionDep, user: CurrentUser, enterprise_id: RecordId, body: NeedOrder) -> NeedsPublic:
    enterprise = load_visible(session, user, Enterprise, enterprise_id, "试点企业", enterprise_rules.can)
    needs = enterprise_service.rearrange_needs(session=session, user=user, enterprise=enterprise,
                                               need_ids=body.need_ids)
    return NeedsPublic(data=[out(NeedPublic, n) for n in needs], count=len(needs))


@router.get("/api/needs/{need_id}", response_model=NeedPublic, responses=error_responses(401, 404, 422, 503),
            summary="需求详情", openapi_extra=requires(BUREAU | ENTERPRISES))
def read_need(session: SessionDep, user: CurrentUser, need_id: RecordId) -> NeedPublic:
    return out(NeedPublic, load_visible(session, user, Need, need_id, "需求", enterprise_rules.can))


@router.patch("/api/needs/{need_id}", response_model=NeedPublic, responses=WRITE_ERRORS, summary="修改需求",
              openapi_extra=requires(BUREAU | ENTERPRISES))
def update_need(session: SessionDep, user: CurrentUser, need_id: RecordId, patch: NeedPatch) -> NeedPublic:
    need = load_visible(session, user, Need, need_id, "需求", enterprise_rules.can)
    data = NeedUpdate.model_validate(patch.model_dump(exclude_unset=True, exclude={"version"}))
    enterprise_service.edit_need(session=session, user=user, need=need, data=data, expected_version=patch.version)
    return out(NeedPublic, need)


@router.delete("/api/needs/{need_id}", status_code=204, response_class=Response, responses=WRITE_ERRORS,
               summary="删除需求", openapi_extra=requires(BUREAU | ENTERPRISES))
def delete_need(session: SessionDep, user: CurrentUser, need_id: RecordId) -> Response:
    need = load_visible(session, user, Need, need_id, "需求", enterprise_rules.can)
    enterprise_service.remove_need(session=session, user=user, need=need)
    return Response(status_code=204)
