"""JSON API: 供需对接 events — create, register, request, schedule, edit the grid, outcomes.

Who may do what is catalog/events/permissions.py, what each user sees catalog/events/queries.py:
the bureau of the event's region manages it and acts for any of its participants (registers,
requests, answers and records an outcome on a party's behalf); an enterprise or a provider
registers itself, sends and answers requests as its own participant, sees its own meetings and
records its own side's outcome; only the bureau sees both sides' outcomes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlmodel import Session

from catalog.events import meetings as event_meetings
from catalog.events import permissions as event_rules
from catalog.events import queries as event_views
from catalog.events import service as event_service
from catalog.events.meetings import SCHEDULE_TIME_LIMIT_MAX_S, SCHEDULE_TIME_LIMIT_S
from catalog.events.models import (
    Event,
    EventCreate,
    EventParticipant,
    EventStatus,
    EventUpdate,
    Meeting,
    Outcome,
    ParticipantCreate,
    Preference,
    Side,
    event_slots,
)
from catalog.limits import REMARK_CHARS
from catalog.users.service import actor_of
from market.deps import BureauUser, CurrentUser, SessionDep
from market.events import scheduling as event_scheduling
from market.permissions.declared import (
    BUREAU,
    ENTERPRISES,
    LOGGED_IN,
    PROVIDER,
    requires,
)
from market.web.api_common import READ_ERRORS, WRITE_ERRORS

router = APIRouter(prefix="/api/events", tags=["供需对接活动"])


def _event_json(event: Event) -> dict[str, Any]:
    data = event.model_dump(mode="json")
    data["slots"] = [{"id": s.id, "session": s.session, "session_name": s.session_name,
                      "label": s.label} for s in event_slots(event.sessions)]
    return data


# --- events ------------------------------------------------------------------------------


@router.post("", status_code=201, responses=WRITE_ERRORS, summary="新建对接活动", openapi_extra=requires(BUREAU))
def create_event(session: SessionDep, user: BureauUser, data: EventCreate) -> dict[str, Any]:
    event = event_service.create_event(session=session, data=data, user=user, actor=actor_of(user))
    return _event_json(event)


@router.get("", responses=READ_ERRORS, summary="对接活动列表", openapi_extra=requires(LOGGED_IN))
def list_events(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    visible = event_views.visible_events(session=session, user=user)
    return {"data": [_event_json(e) for e in visible], "count": len(visible)}


@router.get("/{event_id}", responses=READ_ERRORS, summary="对接活动详情", openapi_extra=requires(LOGGED_IN))
def read_event(session: SessionDep, user: CurrentUser, event_id: int) -> dict[str, Any]:
    return _event_json(event_service.get_event(session=session, event_id=event_id, user=user))


class EventPatch(EventUpdate):
    """Fields to change, and optionally the version the client last read (a stale one: 409)."""

    version: int | None = Field(default=None, description="最后读取的版本号")


@router.patch("/{event_id}", responses=WRITE_ERRORS, summary="修改对接活动", openapi_extra=requires(BUREAU))
def update_event(session: SessionDep, user: CurrentUser, event_id: int,
                 patch: EventPatch) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    data = EventUpdate.model_validate(patch.model_dump(exclude_unset=True, exclude={"version"}))
    event_service.update_event(session=session, event=event, data=data, user=user, actor=actor_of(user),
                               expected_version=patch.version)
    return _event_json(event)


class StatusBody(BaseModel):
    status: EventStatus


@router.post("/{event_id}/status", responses=WRITE_ERRORS, summary="变更活动状态", openapi_extra=requires(BUREAU))
def change_status(session: SessionDep, user: CurrentUser, event_id: int,
                  body: StatusBody) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    event_service.change_event_status(session=session, event=event, status=body.status,
                                      actor=actor_of(user))
    return _event_json(event)


# --- participants ------------------------------------------------------------------------


@router.post("/{event_id}/participants", status_code=201, responses=WRITE_ERRORS,
             summary="报名参会", openapi_extra=requires(LOGGED_IN))  # a bureau, or a party for itself
def register(session: SessionDep, user: CurrentUser, event_id: int,
             data: ParticipantCreate) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    person = event_service.register_for(session=session, event=event, data=data, user=user,
                                        actor=actor_of(user))
    return _participant_json(session, person)


@router.post("/{event_id}/participants/{participant_id}/consent", responses=WRITE_ERRORS,
             summary="确认主办方代为报名（同意对方看到本单位的需求或产品）",
             openapi_extra=requires(PROVIDER | ENTERPRISES))
def consent(session: SessionDep, user: CurrentUser, event_id: int, participant_id: int) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    person = event_service.consent_for(session=session, event=event, user=user,
                                       participant_id=participant_id, actor=actor_of(user))
    return _participant_json(session, person)


def _participant_json(session: Session, person: EventParticipant, *, needs: bool = True) -> dict[str, Any]:
    data = person.model_dump(mode="json", exclude=None if needs else {"need_ids"})
    data["name"] = event_meetings.participant_name(session, person)
    return data


@router.get("/{event_id}/participants", responses=READ_ERRORS, summary="参会方列表",
            openapi_extra=requires(LOGGED_IN))
def list_participants(session: SessionDep, user: CurrentUser, event_id: int) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    rows = event_views.visible_participants(session=session, event=event, user=user)
    mine = event_service.own_registration(session=session, event=event, user=user)
    data = [_participant_json(session, p, needs=event_rules.sees_needs(user, event, p, mine=mine)) for p in rows]
    return {"data": data, "count": len(data)}


class ValidateBody(BaseModel):
    validated: bool = True


@router.post("/{event_id}/participants/{participant_id}/validate", responses=WRITE_ERRORS,
             summary="审核参会方", openapi_extra=requires(BUREAU))
def validate(session: SessionDep, user: CurrentUser, event_id: int, participant_id: int,
             body: ValidateBody) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    person = event_service.validate_participant(session=session, event=event, participant_id=participant_id,
                                                actor=actor_of(user), validated=body.validated)
    return _participant_json(session, person)


# --- requests ----------------------------------------------------------------------------


class RequestBody(BaseModel):
    """A meeting request; its match score is the matcher's (catalog.events.service.send_request)."""

    to_id: int = Field(description="对方参会方编号")
    from_id: int | None = Field(default=None, description="发起方（仅主管部门代为发起时填写）")
    message: str = Field(default="", description="留言（至多 500 字）")
    preference: Preference | None = Field(default=None, description="约见意愿（不填为“希望见”）")
    reason: str = Field(default="", description="推荐理由（至多 500 字）")
    solution_id: int | None = None
    need_id: int | None = None


@router.post("/{event_id}/requests", status_code=201, responses=WRITE_ERRORS, summary="发起约见",
             openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def send_request(session: SessionDep, user: CurrentUser, event_id: int,
                 body: RequestBody) -> dict[str, Any]:
    from market.events.proposals import pair_scorer  # the matcher loads only when a request is made

    event = event_service.get_event(session=session, event_id=event_id, user=user)
    request = event_service.request_meeting(
        session=session, event=event, user=user, actor=actor_of(user), **body.model_dump(exclude_none=True),
        match_score=pair_scorer(session=session, event=event))
    return request.model_dump(mode="json")


@router.get("/{event_id}/requests", responses=READ_ERRORS, summary="约见申请列表",
            openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def list_requests(session: SessionDep, user: CurrentUser, event_id: int) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    rows = event_views.visible_requests(session=session, event=event, user=user)
    return {"data": [r.model_dump(mode="json") for r in rows], "count": len(rows)}


class RespondBody(BaseModel):
    accept: bool


@router.post("/{event_id}/requests/{request_id}/respond", responses=WRITE_ERRORS,
             summary="接受或拒绝约见", openapi_extra=requires(LOGGED_IN))  # the one asked, either side
def respond(session: SessionDep, user: CurrentUser, event_id: int, request_id: int,
            body: RespondBody) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    request = event_service.answer_request(session=session, event=event, request_id=request_id,
                                           accept=body.accept, user=user, actor=actor_of(user))
    return request.model_dump(mode="json")


@router.post("/{event_id}/requests/{request_id}/withdraw", responses=WRITE_ERRORS,
             summary="撤回约见申请", openapi_extra=requires(LOGGED_IN))  # the sender, either side
def withdraw(session: SessionDep, user: CurrentUser, event_id: int, request_id: int) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    request = event_service.take_back_request(session=session, event=event, request_id=request_id,
                                              user=user, actor=actor_of(user))
    return request.model_dump(mode="json")


# --- schedule ----------------------------------------------------------------------------


class ScheduleBody(BaseModel):
    """How long the solver may search (catalog.events.meetings.schedule_time_limit checks it)."""

    time_limit_s: float | None = Field(
        default=None, examples=[SCHEDULE_TIME_LIMIT_S],
        description=f"求解时间上限（秒，大于 0、至多 {SCHEDULE_TIME_LIMIT_MAX_S:g}；不填为 {SCHEDULE_TIME_LIMIT_S:g}）")


@router.post("/{event_id}/schedule", responses=WRITE_ERRORS, summary="运行排程", openapi_extra=requires(BUREAU))
def run_schedule(session: SessionDep, user: CurrentUser, event_id: int,
                 body: ScheduleBody) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    schedule = event_scheduling.run_schedule(session=session, event=event, actor=actor_of(user),
                                             time_limit_s=body.time_limit_s)
    st = schedule.stats
    return {"meetings": len(schedule.placements), "weight": schedule.weight,
            "bound": st.get("bound"), "gap": st.get("gap"), "method": schedule.method,
            "without_meetings": [p.id for p in schedule.without_meetings()]}


@router.get("/{event_id}/meetings", responses=READ_ERRORS, summary="约见日程",
            openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def list_meetings(session: SessionDep, user: CurrentUser, event_id: int) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    data = [_meeting_json(seen) for seen in event_views.visible_meetings(session=session, event=event, user=user)]
    return {"data": data, "count": len(data)}


_BOTH_SIDES = (Side.ENTERPRISE.value, Side.PROVIDER.value)


def _meeting_json(seen: event_views.MeetingSeen) -> dict[str, Any]:
    m = seen.meeting
    if seen.sides == _BOTH_SIDES:
        return m.model_dump(mode="json")
    data: dict[str, Any] = {"id": m.id, "request_id": m.request_id, "slot": m.slot, "table_no": m.table_no}
    for side in seen.sides:
        data |= {f"{side}_outcome": getattr(m, f"{side}_outcome"), f"{side}_comment": getattr(m, f"{side}_comment")}
    return data


class PlaceBody(BaseModel):
    request_id: int
    slot: int
    table: int


@router.post("/{event_id}/meetings/check", responses=WRITE_ERRORS, summary="检查调整是否冲突",
             openapi_extra=requires(BUREAU))
def check_move(session: SessionDep, user: CurrentUser, event_id: int,
               body: PlaceBody) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    conflicts = event_scheduling.check_move(session=session, event=event,
                                            request_id=body.request_id, slot=body.slot,
                                            table=body.table)
    return {"ok": not conflicts, "conflicts": conflicts}


@router.get("/{event_id}/meetings/options", responses=WRITE_ERRORS, summary="某场约见可放入的格子及冲突",
            openapi_extra=requires(BUREAU))
def move_options(session: SessionDep, user: CurrentUser, event_id: int,
                 request_id: Annotated[int, Query(description="约见申请编号")]) -> dict[str, Any]:
    """Every table × slot cell, with whether the meeting may go there (a move to an empty
    cell, a swap with the meeting in it) and the conflicts if not: the grid shows them before
    the bureau makes the edit."""
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    cells = event_scheduling.move_options(session=session, event=event, request_id=request_id)
    return {"request_id": request_id, "cells": cells}


@router.post("/{event_id}/meetings/move", responses=WRITE_ERRORS, summary="移动或排入约见",
             openapi_extra=requires(BUREAU))
def move(session: SessionDep, user: CurrentUser, event_id: int, body: PlaceBody) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    request = event_service.request_of(session=session, event=event, request_id=body.request_id)
    meeting = event_scheduling.move_meeting(session=session, event=event, request=request,
                                            slot=body.slot, table=body.table, actor=actor_of(user))
    return meeting.model_dump(mode="json")


class SwapBody(BaseModel):
    first_id: int = Field(description="约见（日程条目）编号")
    second_id: int = Field(description="另一场约见的编号")


@router.post("/{event_id}/meetings/swap", responses=WRITE_ERRORS, summary="交换两场约见的时段与桌号",
             openapi_extra=requires(BUREAU))
def swap(session: SessionDep, user: CurrentUser, event_id: int, body: SwapBody) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    first, second = _meeting(session, event, body.first_id), _meeting(session, event, body.second_id)
    event_scheduling.swap_meetings(session=session, event=event, first=first, second=second,
                                   actor=actor_of(user))
    return {"ok": True}


class UnscheduleBody(BaseModel):
    cancel: bool = False


@router.post("/{event_id}/meetings/{meeting_id}/unschedule", responses=WRITE_ERRORS,
             summary="移出日程或取消约见", openapi_extra=requires(BUREAU))
def unschedule(session: SessionDep, user: CurrentUser, event_id: int, meeting_id: int,
               body: UnscheduleBody) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    meeting = _meeting(session, event, meeting_id)
    event_meetings.unschedule_meeting(session=session, meeting=meeting, actor=actor_of(user),
                                      cancel=body.cancel)
    return {"ok": True}


def _meeting(session: Session, event: Event, meeting_id: int) -> Meeting:
    return event_meetings.meeting_of(session=session, event=event, meeting_id=meeting_id)


@router.post("/{event_id}/publish", responses=WRITE_ERRORS, summary="发布日程", openapi_extra=requires(BUREAU))
def publish(session: SessionDep, user: CurrentUser, event_id: int) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    event_service.publish_schedule(session=session, event=event, actor=actor_of(user))
    return _event_json(event)


class OutcomeBody(BaseModel):
    outcome: Outcome
    comment: str = Field(default="", max_length=REMARK_CHARS)
    side: Side | None = Field(
        default=None, description="登记方（仅主管部门代为登记时填写）")


@router.post("/{event_id}/meetings/{meeting_id}/outcome", responses=WRITE_ERRORS,
             summary="登记对接成果", openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def record_outcome(session: SessionDep, user: CurrentUser, event_id: int, meeting_id: int,
                   body: OutcomeBody) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    meeting = event_meetings.record_meeting_outcome(
        session=session, event=event, meeting_id=meeting_id, user=user, outcome=body.outcome,
        comment=body.comment, side=body.side, actor=actor_of(user))
    return {"ok": True, "engagement_id": meeting.engagement_id}
