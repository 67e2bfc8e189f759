"""JSON API: 小快轻准产品和解决方案 (solutions)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from catalog.access import load_visible
from catalog.limits import REMARK_CHARS
from catalog.providers import permissions as provider_rules
from catalog.providers import review
from catalog.providers.models import ListingStatus, Provider
from catalog.revisions import service as revisions
from catalog.solutions import permissions as solution_rules
from catalog.solutions import queries as solution_queries
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution
from catalog.solutions.queries import SolutionFilter
from catalog.solutions.schemas import (
    SolutionCreate,
    SolutionPublic,
    SolutionsPublic,
    SolutionUpdate,
)
from catalog.users.models import User
from market.deps import CurrentUser, OptionalUser, SessionDep
from market.permissions.declared import BUREAU, PROVIDER, PUBLIC, requires
from market.web.api_common import (
    LIST_ERRORS,
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    ExcellentFlag,
    Page,
    PerPage,
    Q,
    RecordId,
    Sort,
    StatusChange,
    out,
)

router = APIRouter(prefix="/api/solutions", tags=["产品和解决方案"])


class SolutionPatch(SolutionUpdate):
    """Fields to change plus the version the client last read (optimistic concurrency)."""

    version: int


class Withdrawal(BaseModel):
    remark: str | None = Field(default=None, max_length=REMARK_CHARS, description="撤回原因（留空时记为“服务商主动撤回”）")


def public(session: Session, solutions: list[Solution]) -> list[SolutionPublic]:
    """SolutionPublic with the provider's name filled in (one query for the page)."""
    ids = {s.provider_id for s in solutions}
    names = dict(session.exec(select(Provider.id, Provider.name).where(col(Provider.id).in_(ids))).all()) if ids else {}
    return [out(SolutionPublic, s, provider_name=names.get(s.provider_id)) for s in solutions]


@router.get("", response_model=SolutionsPublic, responses=LIST_ERRORS, summary="产品和解决方案列表",
            openapi_extra=requires(PUBLIC))
def list_solutions(
    session: SessionDep, user: OptionalUser, page: Page = 1, per_page: PerPage = 20, sort: Sort = None,
    q: Q = None,
    status: Annotated[ListingStatus | None, Query(description="状态")] = None,
    provider_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="服务商编号")] = None,
    region: Annotated[str | None, Query(max_length=60, description="地区：服务商位于该地区或服务该地区")] = None,
    scenario: Annotated[str | None, Query(max_length=40, description="应用场景")] = None,
    industry: Annotated[str | None, Query(max_length=40, description="适用行业（代码或名称）")] = None,
    deployment: Annotated[str | None, Query(max_length=20, description="部署方式")] = None,
    excellent: Annotated[bool | None, Query(description="只看优秀")] = None,
    min_price: Annotated[float | None, Query(ge=0, le=1e9, description="价格下限（万元）")] = None,
    max_price: Annotated[float | None, Query(ge=0, le=1e9, description="价格上限（万元）")] = None,
) -> SolutionsPublic:
    chosen = SolutionFilter(
        q=q or "", status=status.value if status else None, provider_id=provider_id, region=region or "",
        scenario=scenario or "", industry=industry or "", deployment=deployment or "", excellent=excellent,
        price_min=min_price, price_max=max_price, sort=sort or "")
    found = solution_queries.list_solutions(session=session, within=solution_rules.visible_solutions(user, select(Solution)),
                                            chosen=chosen, page=page, per_page=per_page)
    return SolutionsPublic(data=public(session, found.rows), count=found.total)


@router.post("", response_model=SolutionPublic, status_code=201, responses=WRITE_ERRORS, summary="新建产品",
             openapi_extra=requires(BUREAU | PROVIDER))
def create_solution(session: SessionDep, user: CurrentUser, data: SolutionCreate) -> SolutionPublic:
    load_visible(session, user, Provider, data.provider_id, "服务商", provider_rules.can)  # an unseen provider is 404
    solution = solution_service.submit_solution(session=session, user=user, data=data)
    return public(session, [solution])[0]


def _load(session: Session, user: User | None, solution_id: RecordId) -> Solution:
    return load_visible(session, user, Solution, solution_id, "产品", solution_rules.can)


@router.get("/{solution_id}", response_model=SolutionPublic, responses=READ_ERRORS, summary="产品详情",
            openapi_extra=requires(PUBLIC))
def read_solution(session: SessionDep, user: OptionalUser, solution_id: RecordId) -> SolutionPublic:
    return public(session, [_load(session, user, solution_id)])[0]


class SolutionEdited(SolutionPublic):
    """The solution as published after an edit, and what the edit did."""

    applied: list[str] = Field(default_factory=list, description="已直接生效的字段")
    pending_revision_id: int | None = Field(default=None, description="待主管部门审核的修改编号（公开内容审核通过后才替换）")


@router.patch("/{solution_id}", response_model=SolutionEdited, responses=WRITE_ERRORS,
              summary="修改产品（服务商修改已入库产品时生成待审核的修改，公开内容不变）", openapi_extra=requires(BUREAU | PROVIDER))
def update_solution(session: SessionDep, user: CurrentUser, solution_id: RecordId, patch: SolutionPatch) -> SolutionEdited:
    solution = _load(session, user, solution_id)
    changes = patch.model_dump(exclude_unset=True, exclude={"version"})
    outcome = revisions.edit_listing(session=session, user=user, record=solution,
                                     data=SolutionUpdate.model_validate(changes), expected_version=patch.version)
    shown = public(session, [solution])[0]
    return out(SolutionEdited, solution, provider_name=shown.provider_name, applied=outcome.applied,
               pending_revision_id=outcome.revision.id if outcome.revision else None)


@router.post("/{solution_id}/status", response_model=SolutionPublic, responses=WRITE_ERRORS,
             summary="变更产品状态（审核、入库、暂停、退出）", openapi_extra=requires(BUREAU))
def change_status(session: SessionDep, user: CurrentUser, solution_id: RecordId, body: StatusChange) -> SolutionPublic:
    solution = _load(session, user, solution_id)
    review.move(session=session, user=user, record=solution, status=body.status, remark=body.remark)
    return public(session, [solution])[0]


@router.post("/{solution_id}/excellent", response_model=SolutionPublic, responses=WRITE_ERRORS,
             summary="设置或取消“优秀”", openapi_extra=requires(BUREAU))
def set_excellent(session: SessionDep, user: CurrentUser, solution_id: RecordId, body: ExcellentFlag) -> SolutionPublic:
    solution = _load(session, user, solution_id)
    review.mark_excellent(session=session, user=user, solution=solution, excellent=body.excellent)
    return public(session, [solution])[0]


@router.post("/{solution_id}/withdraw", response_model=SolutionPublic, responses=WRITE_ERRORS,
             summary="服务商撤回本机构的产品（状态变为退出）", openapi_extra=requires(PROVIDER))
def withdraw(session: SessionDep, user: CurrentUser, solution_id: RecordId, body: Withdrawal) -> SolutionPublic:
    solution = _load(session, user, solution_id)
    review.withdraw(session=session, user=user, solution=solution, remark=body.remark)
    return public(session, [solution])[0]
