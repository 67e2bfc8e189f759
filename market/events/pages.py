"""Pages: 供需对接 events — the list, and one event's page for the bureau (participants,
requests, the schedule grid with checked moves, publishing, reminders, report) and for a
participant (registering, proposals, requests, its agenda and outcomes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from catalog import access
from catalog.errors import ImportRejected, MarketError, RowError
from catalog.events import imports as event_imports
from catalog.events import meetings as event_meetings
from catalog.events import permissions as event_rules
from catalog.events import queries as event_views
from catalog.events import service as event_service
from catalog.events.models import (
    SESSION_STARTS,
    Event,
    EventCreate,
    EventParticipant,
    ParticipantCreate,
    event_slots,
)
from catalog.events.permissions import manages_event
from catalog.users.models import User
from catalog.users.service import actor_of
from market.deps import BureauUser, CsrfProtected, CurrentUser, SessionDep
from market.events import scheduling as event_scheduling
from market.exchange.import_gate import import_slot
from market.permissions.declared import BUREAU, ENTERPRISES, LOGGED_IN, PROVIDER, requires
from market.templating import render
from market.web.forms import FormDep, text, validate
from market.web.labels import PARTICIPANT_LABELS
from market.web.page_common import flash_redirect, parse_int

router = APIRouter(include_in_schema=False)


@router.get("/events", response_class=HTMLResponse, openapi_extra=requires(LOGGED_IN))
def events_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """The events a user may see (in the API's order); a bureau that may hold one also gets the
    form for a new one (catalog.events.permissions.can_create_event)."""
    shown = event_views.visible_events(session=session, user=user)
    return render(request, "events/list.html", {"events": shown,
                                                 "can_create": event_rules.can_create_event(user),
                                                 "regions": access.bureau_regions(user),
                                                 "starts": SESSION_STARTS})


@router.post("/events", openapi_extra=requires(BUREAU))
def event_create(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                 form: FormDep) -> Response:
    """Create an event from the simple form: a morning and an afternoon session (blank fields
    take the schema's defaults)."""
    try:
        data = EventCreate.model_validate(_given(
            title=text(form, "title"), region=text(form, "region"), place=text(form, "place"),
            tables=text(form, "tables"), day=text(form, "day"),
            sessions=[_given(name=name, start=text(form, f"{key}_start"), slots=slots,
                             slot_minutes=text(form, "slot_minutes"))
                      for key, name in (("am", "上午"), ("pm", "下午"))
                      if (slots := parse_int(text(form, f"{key}_slots")) or 0) > 0]))
        event = event_service.create_event(session=session, data=data, user=user, actor=actor_of(user))
    except (ValueError, MarketError) as error:
        message = error.message if isinstance(error, MarketError) else "请检查活动名称、日期、桌数与时段数"
        return flash_redirect(request, "/events", message, "error")
    return flash_redirect(request, f"/events/{event.id}", f"已创建活动：{event.title}")


def _given(**fields: Any) -> dict[str, Any]:
    """The fields a form filled in (a blank one takes the schema's default)."""
    return {name: value for name, value in fields.items() if value not in (None, "")}


def _me(session: Session, user: User, event: Event) -> EventParticipant | None:
    return event_service.own_registration(session=session, event=event, user=user)


def _names(session: Session, people: list[EventParticipant]) -> dict[int, str]:
    return event_meetings.participant_names(session, people)


def _bureau_context(session: Session, user: User, event: Event) -> dict[str, Any]:
    people = event_views.visible_participants(session=session, event=event, user=user)
    requests = event_views.visible_requests(session=session, event=event, user=user)
    meetings = event_meetings.meetings(session=session, event_id=event.id or 0)
    grid = {(m.table_no, m.slot): m for m in meetings}
    return {"people": people, "requests": requests, "grid": grid, "meetings": meetings,
            "requests_by_id": {r.id: r for r in requests},
            "unplaced": event_views.unplaced(requests=requests, placed=meetings),
            "reminders": event_views.reminders(session=session, event=event),
            "report": event_views.report(session=session, event=event)}


def _participant_context(session: Session, user: User, event: Event) -> dict[str, Any]:
    me = _me(session, user, event)
    if me is None:
        offers = event_views.offers(session=session, user=user)
        return {"me": None, "offers": [(key, label[:40]) for key, label in offers]}
    from market.events import (
        proposals as event_proposals,  # the matcher loads only when a participant looks
    )

    proposals = event_proposals.proposals(session=session, event=event, participant=me)
    requests = event_views.visible_requests(session=session, event=event, user=user)
    agenda = event_views.agenda(session=session, event=event, participant=me)
    meetings = {seen.meeting.id: seen.meeting
                for seen in event_views.visible_meetings(session=session, event=event, user=user)}
    people = event_views.visible_participants(session=session, event=event, user=user)
    return {"me": me, "proposals": proposals, "my_requests": requests, "agenda": agenda,
            "withdrawable": event_views.withdrawable(session=session, requests=requests, sender=me),
            "my_meetings": meetings, "names": _names(session, people)}


@router.get("/events/{event_id}", response_class=HTMLResponse, openapi_extra=requires(LOGGED_IN))
def event_page(request: Request, session: SessionDep, user: CurrentUser, event_id: int) -> Response:
    """One event: the bureau's console, or a participant's view."""
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    manage = manages_event(user, event)
    context: dict[str, Any] = {"event": event, "manage": manage,
                               "slots": event_slots(event.sessions)}
    if manage:
        context.update(_bureau_context(session, user, event))
        context["names"] = _names(session, context["people"])
    else:
        context.update(_participant_context(session, user, event))
    return render(request, "events/detail.html", context)


def _act(request: Request, event_id: int, done: str, action: Any) -> Response:
    """Run one change; flash its Chinese error instead of failing the page."""
    url = f"/events/{event_id}"
    try:
        message = action() or done
    except MarketError as error:
        return flash_redirect(request, url, error.message, "error")
    return flash_redirect(request, url, message)


@router.post("/events/{event_id}/status", openapi_extra=requires(BUREAU))
def status_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                  form: FormDep, event_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    status = text(form, "status")
    return _act(request, event_id, f"活动已进入“{status}”", lambda: event_service.change_event_status(
        session=session, event=event, status=status, actor=actor_of(user)) and None)


@router.post("/events/{event_id}/register", openapi_extra=requires(LOGGED_IN))
def register_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                    form: FormDep, event_id: int) -> Response:
    """Register the user's own enterprise or provider; a value the schema refuses is flashed,
    named by its field (the API's 422 names it too)."""
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    data, errors = validate(ParticipantCreate, _registration(form, user))
    if data is None:
        shown = "；".join(f"{PARTICIPANT_LABELS.get(name, name)}：{message}" for name, message in errors.items())
        return flash_redirect(request, f"/events/{event_id}", f"报名信息有误：{shown}", "error")
    return _act(request, event_id, "已报名，等待主办方确认", lambda: event_service.register_for(
        session=session, event=event, data=data, user=user, actor=actor_of(user)) and None)


def _registration(form: FormData, user: User) -> dict[str, Any]:
    """The registration form as ParticipantCreate's fields, for the user's own party (a blank
    number of representatives takes the schema's default)."""
    enterprise_id, provider_id = event_service.party_of(user)
    provider = provider_id is not None
    offered = [n for n in (parse_int(v) for v in form.getlist("offer") if isinstance(v, str)) if n]
    chosen = [n for n in (parse_int(v) for v in form.getlist("sessions") if isinstance(v, str)) if n is not None]
    return {"enterprise_id": enterprise_id, "provider_id": provider_id,
            "sessions": chosen if "sessions_shown" in form else None,
            "solution_ids": offered if provider else [], "need_ids": [] if provider else offered,
            **_given(representatives=text(form, "representatives"))}


@router.post("/events/{event_id}/participants/import", openapi_extra=requires(BUREAU))
def roster_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                  form: FormDep, event_id: int) -> Response:
    """The bureau's participant list (.xlsx): all registered, or the row errors flashed."""
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    upload = form.get("file")
    chosen = upload if isinstance(upload, UploadFile) else None
    url = f"/events/{event_id}"
    try:
        with import_slot():
            report = event_imports.import_participants(
                session=session, event=event, data=chosen.file.read() if chosen else b"",
                file=chosen.filename if chosen else None, user=user, actor=actor_of(user))
    except ImportRejected as error:
        shown = "；".join(_row_error(e) for e in error.errors[:8])
        more = f"；另有 {len(error.errors) - 8} 处" if len(error.errors) > 8 else ""
        return flash_redirect(request, url, f"{error.message}：{shown}{more}", "error")
    except MarketError as error:
        return flash_redirect(request, url, error.message, "error")
    return flash_redirect(request, url, report.summary_zh())


def _row_error(error: RowError) -> str:
    where = f"第 {error.row} 行" if error.row else (error.sheet or error.file)
    column = f"“{error.column}”" if error.column else ""
    value = f"（{error.value}）" if error.value not in (None, "") else ""
    return f"{where}{column}{value}{error.message}"


@router.post("/events/{event_id}/consent", openapi_extra=requires(PROVIDER | ENTERPRISES))
def consent_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                   event_id: int) -> Response:
    """The enterprise or provider confirms the registration the bureau made for it."""
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    return _act(request, event_id, "已确认参会", lambda: event_service.consent_for(
        session=session, event=event, user=user, actor=actor_of(user)) and None)


@router.post("/events/{event_id}/participants/{participant_id}/validate", openapi_extra=requires(BUREAU))
def validate_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                    event_id: int, participant_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    return _act(request, event_id, "已确认参会资格", lambda: event_service.validate_participant(
        session=session, event=event, participant_id=participant_id, actor=actor_of(user)) and None)


@router.post("/events/{event_id}/requests", openapi_extra=requires(LOGGED_IN))
def request_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                   form: FormDep, event_id: int) -> Response:
    """A request from the proposals list (its score is the matcher's: market.events.proposals)."""
    from market.events.proposals import pair_scorer  # the matcher loads only when a request is made

    event = event_service.get_event(session=session, event_id=event_id, user=user)
    return _act(request, event_id, "约见申请已发出", lambda: event_service.request_meeting(
        session=session, event=event, user=user, actor=actor_of(user),
        from_id=parse_int(text(form, "from_id")), to_id=parse_int(text(form, "to_id")) or 0,
        message=text(form, "message"), reason=text(form, "reason"),
        solution_id=parse_int(text(form, "solution_id")), need_id=parse_int(text(form, "need_id")),
        match_score=pair_scorer(session=session, event=event),
        **_given(preference=text(form, "preference"))) and None)  # none chosen: the service's default


@router.post("/events/{event_id}/requests/{request_id}/respond", openapi_extra=requires(LOGGED_IN))
def respond_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                   form: FormDep, event_id: int, request_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    accept = text(form, "accept") == "1"
    return _act(request, event_id, "已接受约见" if accept else "已拒绝约见", lambda: event_service.answer_request(
        session=session, event=event, request_id=request_id, accept=accept, user=user,
        actor=actor_of(user)) and None)


@router.post("/events/{event_id}/requests/{request_id}/withdraw", openapi_extra=requires(LOGGED_IN))
def withdraw_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                    event_id: int, request_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    return _act(request, event_id, "已撤回约见申请", lambda: event_service.take_back_request(
        session=session, event=event, request_id=request_id, user=user, actor=actor_of(user)) and None)


@router.post("/events/{event_id}/schedule", openapi_extra=requires(BUREAU))
def schedule_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                    event_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)

    def run() -> str:
        done = event_scheduling.run_schedule(session=session, event=event, actor=actor_of(user))
        zero = len(done.without_meetings())
        return f"排程完成：共 {len(done.placements)} 场约见" + (f"，{zero} 个参会方暂无约见" if zero else "")

    return _act(request, event_id, "", run)


@router.post("/events/{event_id}/move", openapi_extra=requires(BUREAU))
def move_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                form: FormDep, event_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    ask = event_service.request_of(session=session, event=event, request_id=parse_int(text(form, "request_id")) or 0)
    slot, table = parse_int(text(form, "slot")) or 0, parse_int(text(form, "table")) or 0
    return _act(request, event_id, "已调整约见", lambda: event_scheduling.move_meeting(
        session=session, event=event, request=ask, slot=slot, table=table, actor=actor_of(user)) and None)


@router.post("/events/{event_id}/swap", openapi_extra=requires(BUREAU))
def swap_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                form: FormDep, event_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)

    def swap() -> None:
        first = event_meetings.meeting_of_request(session=session, event=event, request_id=parse_int(text(form, "first")) or 0)
        second = event_meetings.meeting_of_request(session=session, event=event, request_id=parse_int(text(form, "second")) or 0)
        event_scheduling.swap_meetings(session=session, event=event, first=first, second=second,
                                       actor=actor_of(user))

    return _act(request, event_id, "已交换两场约见", swap)


@router.post("/events/{event_id}/unschedule", openapi_extra=requires(BUREAU))
def unschedule_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                      form: FormDep, event_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    cancel = text(form, "cancel") == "1"

    def unschedule() -> None:
        meeting = event_meetings.meeting_of_request(session=session, event=event, request_id=parse_int(text(form, "request_id")) or 0)
        event_meetings.unschedule_meeting(session=session, meeting=meeting, actor=actor_of(user),
                                          cancel=cancel)

    return _act(request, event_id, "已取消该约见，时段已释放" if cancel else "已移出日程", unschedule)


@router.post("/events/{event_id}/publish", openapi_extra=requires(BUREAU))
def publish_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                   event_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user, manage=True)
    return _act(request, event_id, "日程已发布", lambda: event_service.publish_schedule(
        session=session, event=event, actor=actor_of(user)) and None)


@router.post("/events/{event_id}/meetings/{meeting_id}/outcome", openapi_extra=requires(LOGGED_IN))
def outcome_submit(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                   form: FormDep, event_id: int, meeting_id: int) -> Response:
    event = event_service.get_event(session=session, event_id=event_id, user=user)
    return _act(request, event_id, "对接成果已登记", lambda: event_meetings.record_meeting_outcome(
        session=session, event=event, meeting_id=meeting_id, user=user, outcome=text(form, "outcome"),
        comment=text(form, "comment"), side=text(form, "side") or None, actor=actor_of(user)) and None)
