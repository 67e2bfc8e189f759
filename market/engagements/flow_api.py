"""JSON API: the engagement workflow — 签约, 实施中, 申请验收, 确认验收 (subsidy computed), 终止, 评价."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlmodel import Session

from catalog.engagements import service as flow
from catalog.engagements.models import Engagement
from catalog.limits import REMARK_CHARS
from catalog.progress.models import AcceptanceRecord
from catalog.users.models import User
from market.deps import CurrentUser, SessionDep
from market.permissions.declared import BUREAU, ENTERPRISES, PROVIDER, requires
from market.web.api_common import READ_ERRORS, WRITE_ERRORS, RecordId

router = APIRouter(prefix="/api/engagements", tags=["对接成果"])


class SignIn(BaseModel):
    amount_wan: float = Field(description="合同金额（万元）")
    contract_date: date = Field(description="签约日期")
    version: int | None = Field(default=None, description="最后读取的版本号")


class Step(BaseModel):
    version: int | None = Field(default=None, description="最后读取的版本号")


class ProposeIn(BaseModel):
    acceptance_date: date = Field(description="验收日期")
    level_before: str = Field(max_length=10, description="改造前等级（一级…四级 或 L1–L9）")
    level_after: str = Field(max_length=10, description="改造后等级（现场评定）")
    provider_share_wan: float = Field(default=0.0, description="服务商让利（万元）")


class TerminateIn(BaseModel):
    reason: str = Field(max_length=REMARK_CHARS, description="终止原因")
    version: int | None = None


class RatingIn(BaseModel):
    rating: int = Field(description="评价（1–5 分）")
    review: str = Field(default="", max_length=REMARK_CHARS, description="评价内容（可选，显示在产品页）")


def _load(session: Session, user: User, engagement_id: int) -> Engagement:
    return flow.get_engagement(session=session, engagement_id=engagement_id, user=user)


def acceptance_json(record: AcceptanceRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {"acceptance_date": record.acceptance_date.isoformat(), "level_before": record.level_before,
            "level_after": record.level_after, "provider_share_wan": record.provider_share_wan,
            "proposed_by": record.proposed_by, "confirmed_by": record.confirmed_by,
            "policy_key": record.policy_key, "policy_tier": record.policy_tier, "subsidy_wan": record.subsidy_wan,
            "subsidy_reason": record.subsidy_reason, "on_time": record.on_time}


def engagement_json(session: Session, engagement: Engagement) -> dict[str, Any]:
    record = flow.acceptance_of(session=session, engagement_id=engagement.id or 0)
    data = engagement.model_dump(mode="json", exclude={"created_at", "updated_at"})
    preview = flow.subsidy_preview(session=session, engagement=engagement)
    return {**data, "acceptance": acceptance_json(record),
            "subsidy_preview": None if preview is None else {"amount_wan": preview.amount_wan,
                                                            "policy": preview.policy_name_zh,
                                                            "reason": preview.reason_zh}}


@router.post("/{engagement_id}/sign", responses=WRITE_ERRORS, summary="签约（合同金额、签约日期）",
             openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def sign(session: SessionDep, user: CurrentUser, engagement_id: RecordId, data: SignIn) -> dict[str, Any]:
    engagement = _load(session, user, engagement_id)
    flow.sign_as(session=session, user=user, engagement=engagement, amount_wan=data.amount_wan,
                 contract_date=data.contract_date, expected_version=data.version)
    return engagement_json(session, engagement)


@router.post("/{engagement_id}/start", responses=WRITE_ERRORS, summary="开始实施",
             openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def start(session: SessionDep, user: CurrentUser, engagement_id: RecordId, data: Step) -> dict[str, Any]:
    engagement = _load(session, user, engagement_id)
    flow.start_as(session=session, user=user, engagement=engagement, expected_version=data.version)
    return engagement_json(session, engagement)


@router.post("/{engagement_id}/acceptance", responses=WRITE_ERRORS, summary="申请验收（企业或服务商）",
             openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def propose(session: SessionDep, user: CurrentUser, engagement_id: RecordId, data: ProposeIn) -> dict[str, Any]:
    engagement = _load(session, user, engagement_id)
    flow.propose_acceptance_as(session=session, user=user, engagement=engagement,
                               acceptance_date=data.acceptance_date, level_before=data.level_before,
                               level_after=data.level_after, provider_share_wan=data.provider_share_wan)
    return engagement_json(session, engagement)


@router.post("/{engagement_id}/acceptance/confirm", responses=WRITE_ERRORS, summary="确认验收（主管部门），计算补贴",
             openapi_extra=requires(BUREAU))
def confirm(session: SessionDep, user: CurrentUser, engagement_id: RecordId, data: Step) -> dict[str, Any]:
    engagement = _load(session, user, engagement_id)
    flow.confirm_acceptance_as(session=session, user=user, engagement=engagement, expected_version=data.version)
    return engagement_json(session, engagement)


@router.post("/{engagement_id}/terminate", responses=WRITE_ERRORS, summary="终止对接（填写原因）",
             openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def terminate(session: SessionDep, user: CurrentUser, engagement_id: RecordId, data: TerminateIn) -> dict[str, Any]:
    engagement = _load(session, user, engagement_id)
    flow.terminate_as(session=session, user=user, engagement=engagement, reason=data.reason,
                      expected_version=data.version)
    return engagement_json(session, engagement)


@router.post("/{engagement_id}/rating", responses=WRITE_ERRORS, summary="企业评价（1–5 分）",
             openapi_extra=requires(ENTERPRISES))
def rate(session: SessionDep, user: CurrentUser, engagement_id: RecordId, data: RatingIn) -> dict[str, Any]:
    engagement = _load(session, user, engagement_id)
    flow.rate_as(session=session, user=user, engagement=engagement, rating=data.rating, review=data.review)
    return engagement_json(session, engagement)


@router.get("/{engagement_id}/flow", responses=READ_ERRORS, summary="对接进展、验收与补贴",
            openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def read_flow(session: SessionDep, user: CurrentUser, engagement_id: RecordId) -> dict[str, Any]:
    return engagement_json(session, _load(session, user, engagement_id))
