"""JSON API of the product page: cases, ratings, 申请对接, and an engagement's messages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from catalog.access import load_visible
from catalog.showcase import service as showcase
from catalog.showcase.models import (
    CaseCreate,
    ContactRequest,
    EngagementMessage,
    MessageIn,
    SolutionCase,
)
from catalog.solutions import permissions as solution_rules
from catalog.solutions.models import Solution
from catalog.users.service import actor_of
from market.deps import CurrentUser, OptionalUser, SessionDep
from market.permissions.declared import BUREAU, ENTERPRISES, PROVIDER, PUBLIC, requires
from market.web.api_common import READ_ERRORS, WRITE_ERRORS

router = APIRouter(tags=["产品展示与申请对接"])


def case_json(case: SolutionCase) -> dict[str, Any]:
    return {"id": case.id, "client_industry": case.client_industry, "problem": case.problem, "result": case.result,
            "engagement_id": case.engagement_id, "created_at": case.created_at.isoformat(timespec="minutes")}


def message_json(message: EngagementMessage) -> dict[str, Any]:
    return {"id": message.id, "side": message.side, "author": message.author, "text": message.text,
            "created_at": message.created_at.isoformat(timespec="minutes")}


@router.get("/api/solutions/{solution_id}/cases", responses=READ_ERRORS, summary="产品的应用案例",
            openapi_extra=requires(PUBLIC))
def list_cases(session: SessionDep, user: OptionalUser, solution_id: int) -> dict[str, Any]:
    load_visible(session, user, Solution, solution_id, "产品和方案", solution_rules.can)
    return {"cases": [case_json(c) for c in showcase.cases_of(session=session, solution_id=solution_id)]}


@router.post("/api/solutions/{solution_id}/cases", status_code=201, responses=WRITE_ERRORS, summary="添加应用案例",
             openapi_extra=requires(BUREAU | PROVIDER))
def add_case(session: SessionDep, user: CurrentUser, solution_id: int, data: CaseCreate) -> dict[str, Any]:
    solution = showcase.editable_solution(session=session, user=user, solution_id=solution_id)
    case = showcase.add_case(session=session, solution=solution, data=data, actor=actor_of(user))
    return case_json(case)


@router.delete("/api/solutions/{solution_id}/cases/{case_id}", status_code=204, responses=WRITE_ERRORS,
               summary="删除应用案例", openapi_extra=requires(BUREAU | PROVIDER))
def remove_case(session: SessionDep, user: CurrentUser, solution_id: int, case_id: int) -> None:
    solution = showcase.editable_solution(session=session, user=user, solution_id=solution_id)
    case = showcase.case_of(session=session, solution=solution, case_id=case_id)
    showcase.remove_case(session=session, case=case, actor=actor_of(user))


@router.get("/api/solutions/{solution_id}/reviews", responses=READ_ERRORS, summary="产品的用户评价（来自已结束的对接）",
            openapi_extra=requires(PUBLIC))
def reviews(session: SessionDep, user: OptionalUser, solution_id: int) -> dict[str, Any]:
    load_visible(session, user, Solution, solution_id, "产品和方案", solution_rules.can)
    return showcase.reviews_of(session=session, solution_id=solution_id)


@router.post("/api/solutions/{solution_id}/contact", status_code=201, responses=WRITE_ERRORS,
             summary="申请对接：生成“意向”对接并留言给服务商", openapi_extra=requires(ENTERPRISES))
def request_contact(session: SessionDep, user: CurrentUser, solution_id: int, data: ContactRequest) -> dict[str, Any]:
    engagement = showcase.contact_as(session=session, user=user, solution_id=solution_id, message=data.message)
    return {"engagement_id": engagement.id, "status": engagement.status}


@router.get("/api/engagements/{engagement_id}/messages", responses=READ_ERRORS, summary="对接留言",
            openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def list_messages(session: SessionDep, user: CurrentUser, engagement_id: int) -> dict[str, Any]:
    engagement = showcase.conversation_of(session=session, user=user, engagement_id=engagement_id)
    return {"messages": [message_json(m) for m in showcase.messages_of(session=session,
                                                                      engagement_id=engagement.id or 0)]}


@router.post("/api/engagements/{engagement_id}/messages", status_code=201, responses=WRITE_ERRORS,
             summary="在对接中留言（双方与主管部门）", openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def post_message(session: SessionDep, user: CurrentUser, engagement_id: int, data: MessageIn) -> dict[str, Any]:
    engagement = showcase.conversation_of(session=session, user=user, engagement_id=engagement_id)
    message = showcase.write_message(session=session, user=user, engagement=engagement, text=data.text)
    return message_json(message)
