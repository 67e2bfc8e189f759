"""JSON API: 对接成果 (engagements: enterprise × solution)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from catalog.engagements import queries as engagement_queries
from catalog.engagements import service as engagement_service
from catalog.engagements.models import EngagementStatus
from catalog.engagements.queries import EngagementFilter
from catalog.engagements.schemas import (
    EngagementCreate,
    EngagementPublic,
    EngagementsPublic,
    EngagementUpdate,
)
from market.deps import CurrentUser, SessionDep
from market.permissions.declared import BUREAU, ENTERPRISES, LOGGED_IN, PROVIDER, requires
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

router = APIRouter(prefix="/api/engagements", tags=["对接成果"])


class EngagementPatch(EngagementUpdate):
    """Fields to change plus the version the client last read (optimistic concurrency)."""

    version: int


@router.get("", response_model=EngagementsPublic, responses=LIST_ERRORS, summary="对接成果列表",
            openapi_extra=requires(LOGGED_IN))
def list_engagements(
    session: SessionDep, user: CurrentUser, page: Page = 1, per_page: PerPage = 20, sort: Sort = None,
    status: Annotated[EngagementStatus | None, Query(description="对接状态")] = None,
    enterprise_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="企业编号")] = None,
    provider_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="服务商编号")] = None,
) -> EngagementsPublic:
    chosen = EngagementFilter(status=status.value if status else "", enterprise_id=enterprise_id,
                              provider_id=provider_id, sort=sort or "")
    found = engagement_queries.list_engagements(session=session, user=user, chosen=chosen, page=page, per_page=per_page)
    return EngagementsPublic(data=[out(EngagementPublic, g) for g in found.rows], count=found.total)


@router.post("", response_model=EngagementPublic, status_code=201, responses=WRITE_ERRORS, summary="登记对接成果",
             openapi_extra=requires(BUREAU | ENTERPRISES))
def create_engagement(session: SessionDep, user: CurrentUser, data: EngagementCreate) -> EngagementPublic:
    engagement = engagement_service.open_intention(session=session, user=user, enterprise_id=data.enterprise_id,
                                                   solution_id=data.solution_id)
    return out(EngagementPublic, engagement)


@router.get("/{engagement_id}", response_model=EngagementPublic, responses=READ_ERRORS, summary="对接成果详情",
            openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def read_engagement(session: SessionDep, user: CurrentUser, engagement_id: RecordId) -> EngagementPublic:
    return out(EngagementPublic, engagement_service.get_engagement(session=session, engagement_id=engagement_id, user=user))


@router.patch("/{engagement_id}", response_model=EngagementPublic, responses=WRITE_ERRORS, summary="更正对接成果的合同金额、日期与改造前等级（状态只能通过签约、开始实施、申请/确认验收、终止等接口变更）",
              openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def update_engagement(
    session: SessionDep, user: CurrentUser, engagement_id: RecordId, patch: EngagementPatch
) -> EngagementPublic:
    engagement = engagement_service.get_engagement(session=session, engagement_id=engagement_id, user=user)
    data = EngagementUpdate.model_validate(patch.model_dump(exclude_unset=True, exclude={"version"}))
    engagement_service.update_engagement_as(session=session, user=user, engagement=engagement, data=data,
                                            expected_version=patch.version)
    return out(EngagementPublic, engagement)
