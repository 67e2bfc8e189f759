"""JSON and file API of 供需对接 events: agendas (.ics), reminders, the grid workbook, report."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Query, Response, UploadFile

from catalog.events import imports as event_imports
from catalog.events import queries as event_views
from catalog.events import service as event_service
from catalog.events.proposals import PROPOSAL_LIMIT, PROPOSAL_LIMIT_MAX
from catalog.users.service import actor_of
from market.deps import CurrentUser, SessionDep
from market.errors import error_responses
from market.events.api import _participant_json
from market.exchange.import_gate import import_slot
from market.permissions.declared import BUREAU, ENTERPRISES, PROVIDER, requires
from market.web.api_common import READ_ERRORS

router = APIRouter(prefix="/api/events", tags=["供需对接活动"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/{event_id}/agenda", responses=READ_ERRORS, summary="参会方日程",
            openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def agenda(session: SessionDep, user: CurrentUser, event_id: int,
           participant_id: int | None = Query(default=None, description="参会方（主管部门查看他方时填写）"),
           ) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    person = event_service.acting_participant(session=session, event=event, user=user,
                                              participant_id=participant_id)
    rows = event_views.agenda(session=session, event=event, participant=person)
    return {"data": [{"meeting_id": r.meeting_id, "slot": r.slot.id, "time": r.slot.label,
                      "session": r.slot.session_name, "table": r.table,
                      "counterpart": r.counterpart, "message": r.message} for r in rows],
            "count": len(rows)}


@router.get("/{event_id}/agenda.ics", response_class=Response, summary="日程日历文件（.ics）",
            responses={200: {"content": {"text/calendar": {}}, "description": "日历文件"},
                       **READ_ERRORS}, openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def agenda_ics(session: SessionDep, user: CurrentUser, event_id: int,
               participant_id: int | None = None) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    person = event_service.acting_participant(session=session, event=event, user=user,
                                              participant_id=participant_id)
    rows = event_views.agenda(session=session, event=event, participant=person)
    text = event_views.agenda_ics(event=event, rows=rows)
    return Response(text, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="event-{event_id}-agenda.ics"'})


@router.get("/{event_id}/reminders", responses=READ_ERRORS, summary="尚无约见的参会方与提醒文本",
            openapi_extra=requires(BUREAU))
def reminders(session: SessionDep, user: CurrentUser, event_id: int) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    rows = event_views.reminders(session=session, event=event)
    return {"data": rows, "count": len(rows)}


@router.get("/{event_id}/schedule.xlsx", response_class=Response, summary="全部约见（按桌号与时段）与桌牌",
            responses={200: {"content": {XLSX: {}}, "description": "日程工作簿"}, **READ_ERRORS},
                openapi_extra=requires(BUREAU))
def schedule_xlsx(session: SessionDep, user: CurrentUser, event_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    data = event_views.schedule_workbook(session=session, event=event)
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="event-{event_id}-schedule.xlsx"'})


@router.get("/{event_id}/report", responses=READ_ERRORS, summary="活动成果报告", openapi_extra=requires(BUREAU))
def report(session: SessionDep, user: CurrentUser, event_id: int) -> dict[str, Any]:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    return event_views.report(session=session, event=event)


@router.get("/{event_id}/proposals", responses=READ_ERRORS, summary="推荐的对接方（按匹配分）",
            openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def proposals(session: SessionDep, user: CurrentUser, event_id: int,
              participant_id: int | None = Query(default=None, description="参会方（主管部门查看他方时填写）"),
              limit: int = Query(default=PROPOSAL_LIMIT, ge=1, le=PROPOSAL_LIMIT_MAX)) -> dict[str, Any]:
    from market.events import (
        proposals as event_proposals,  # the matcher loads only when proposals are asked for
    )

    event = event_service.get_event(session=session, event_id=event_id, user=user)
    person = event_service.acting_participant(session=session, event=event, user=user,
                                              participant_id=participant_id)
    rows = event_proposals.proposals(session=session, event=event, participant=person, limit=limit)
    return {"data": [asdict(p) for p in rows], "count": len(rows)}


@router.post("/{event_id}/participants/import", status_code=201,
             responses=error_responses(401, 403, 404, 409, 413, 422, 503),
             summary="导入参会方名单（xlsx）", openapi_extra=requires(BUREAU))
def import_participants(session: SessionDep, user: CurrentUser, event_id: int,
                        file: UploadFile) -> dict[str, Any]:
    """Columns 统一社会信用代码 (or 单位名称), 类型, 代表人数, 参会场次, 是否确认. All rows
    registered, or 422 with every row error in `details` and nothing stored; a file that is no
    .xlsx workbook is 422 too (catalog.events.imports.roster_file_name)."""
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    with import_slot():
        report = event_imports.import_participants(session=session, event=event, data=file.file.read(),
                                                   file=file.filename, user=user, actor=actor_of(user))
    return {"data": [_participant_json(session, p) for p in report.participants],
            "count": report.registered, "validated": report.validated, "summary": report.summary_zh()}
