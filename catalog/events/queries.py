"""Reads of 供需对接 events: the events, participants and meetings a user sees (every front door
lists through these), what a user may bring, the requests left off the grid, agendas (rows and
.ics), reminders, the grid workbook, the report."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from catalog.enterprises.models import Enterprise, Need
from catalog.errors import Forbidden
from catalog.events import permissions as event_rules
from catalog.events.meetings import meetings, participant_name
from catalog.events.models import (
    Event,
    EventParticipant,
    Meeting,
    MeetingRequest,
    Outcome,
    RequestStatus,
    Side,
    SlotTime,
    event_slots,
)
from catalog.events.service import (
    own_registration,
    participants,
    party_of,
    requests_of,
    withdraw_refusal,
)
from catalog.solutions.models import Solution
from catalog.solutions.permissions import visible_solutions
from catalog.users.models import User
from catalog.xlsx_writer import Book


def _in_order() -> Any:
    """Every event list's order: by day, the latest first (undated ones, still being planned,
    before the dated), then the newest first."""
    return select(Event).order_by(col(Event.day).desc().nulls_first(), col(Event.id).desc())


def all_events(*, session: Session) -> list[Event]:
    """Every event, in the order of the lists (the command line's view)."""
    return list(session.exec(_in_order()))


def visible_events(*, session: Session, user: User) -> list[Event]:
    """The events `user` may see, in the one order of the API and the pages: the events it
    manages first (a bureau runs those; the others of its list are its neighbours'), then by day."""
    seen = [e for e in session.exec(_in_order()) if event_rules.can_view_event(user, e)]
    return sorted(seen, key=lambda e: not event_rules.manages_event(user, e))


def visible_participants(*, session: Session, event: Event, user: User) -> list[EventParticipant]:
    """The participants of `event` that `user` sees, in registration order: those of
    `sees_participant`, and the counterparts of the user's own requests (whom it asked, who
    asked it: its request list names them even once the bureau withdrew one's validation)."""
    people = participants(session=session, event_id=event.id or 0)
    if event_rules.manages_event(user, event):
        return people
    me = next((p for p in people if event_rules.own_participant(user, p)), None)
    asked = {pid for r in _requests_with(session, event, me) for pid in (r.from_id, r.to_id)}
    return [p for p in people if p.id in asked or event_rules.sees_participant(user, event, p)]


def _requests_with(session: Session, event: Event, person: EventParticipant | None) -> list[MeetingRequest]:
    if person is None:
        return []
    return requests_of(session=session, event_id=event.id or 0, participant_id=person.id)


def visible_requests(*, session: Session, event: Event, user: User) -> list[MeetingRequest]:
    """The meeting requests of `event` that `user` sees: the managing bureau every one, a
    participant those it sent or received; anyone else is refused (not registered)."""
    if event_rules.manages_event(user, event):
        return requests_of(session=session, event_id=event.id or 0)
    me = own_registration(session=session, event=event, user=user)
    if me is None:
        raise Forbidden("not_registered", "您尚未报名该活动")
    return _requests_with(session, event, me)


@dataclass(frozen=True)
class MeetingSeen:
    """A meeting as one user sees it: `sides` are the sides whose outcome and comment it sees."""

    meeting: Meeting
    sides: tuple[str, ...]


def visible_meetings(*, session: Session, event: Event, user: User) -> list[MeetingSeen]:
    """The managing bureau sees every meeting with both sides' outcomes; a participant the
    published meetings it takes part in with its own side's; anyone else is refused."""
    rows = meetings(session=session, event_id=event.id or 0)
    if event_rules.manages_event(user, event):
        return [MeetingSeen(m, (Side.ENTERPRISE.value, Side.PROVIDER.value)) for m in rows]
    me = own_registration(session=session, event=event, user=user)
    if me is None:
        raise Forbidden("not_registered", "您尚未报名该活动")
    mine = {r.id for r in requests_of(session=session, event_id=event.id or 0, participant_id=me.id)}
    return [MeetingSeen(m, (me.side,)) for m in rows if m.published and m.request_id in mine]


def offers(*, session: Session, user: User) -> list[tuple[int, str]]:
    """What a user may bring to an event, as (id, text): its provider's publicly listed solutions,
    or its enterprise's needs by priority."""
    enterprise_id, provider_id = party_of(user)
    if provider_id is not None:
        rows = session.exec(visible_solutions(None, select(Solution).where(Solution.provider_id == provider_id))
                            .order_by(col(Solution.id))).all()
        return [(s.id or 0, s.name) for s in rows]
    if enterprise_id is not None:
        needs = session.exec(select(Need).where(Need.enterprise_id == enterprise_id)
                             .order_by(col(Need.priority), col(Need.id))).all()
        return [(n.id or 0, n.text) for n in needs]
    return []


def unplaced(*, requests: list[MeetingRequest], placed: list[Meeting]) -> list[MeetingRequest]:
    """The accepted requests the schedule has no meeting for (what the bureau may still place)."""
    on_grid = {m.request_id for m in placed}
    return [r for r in requests if r.status == RequestStatus.ACCEPTED and r.id not in on_grid]


def withdrawable(*, session: Session, requests: list[MeetingRequest], sender: EventParticipant) -> set[int]:
    """The ids of `sender`'s requests it may still withdraw: those
    catalog.events.service.withdraw_refusal lets catalog.events.service.withdraw_request withdraw."""
    mine = [r for r in requests if r.from_id == sender.id]
    if not mine:
        return set()
    placed = set(session.exec(select(Meeting.request_id).where(col(Meeting.request_id).in_([r.id for r in mine]))).all())
    return {int(r.id or 0) for r in mine if withdraw_refusal(r, scheduled=r.id in placed) is None}


@dataclass(frozen=True)
class AgendaRow:
    meeting_id: int
    slot: SlotTime
    table: int
    counterpart: str
    message: str


def agenda(*, session: Session, event: Event, participant: EventParticipant,
           published_only: bool = True) -> list[AgendaRow]:
    """A participant's meetings in time order."""
    slots = {s.id: s for s in event_slots(event.sessions)}
    rows = []
    for meeting in meetings(session=session, event_id=event.id or 0):
        request = session.get(MeetingRequest, meeting.request_id)
        if request is None or participant.id not in (request.from_id, request.to_id):
            continue
        if published_only and not meeting.published:
            continue
        other = session.get(EventParticipant,
                            request.to_id if request.from_id == participant.id else request.from_id)
        name = participant_name(session, other) if other else ""
        rows.append(AgendaRow(meeting.id or 0, slots[meeting.slot], meeting.table_no, name,
                              request.message))
    return sorted(rows, key=lambda r: r.slot.id)


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def agenda_ics(*, event: Event, rows: list[AgendaRow]) -> str:
    """An iCalendar file (RFC 5545) of an agenda, in China time (UTC+8, no DST)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//shuzhuantong//events//ZH",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    day = event.day
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for row in rows:
        if day is None:
            break
        start = datetime.combine(day, row.slot.start).strftime("%Y%m%dT%H%M%S")
        end = datetime.combine(day, row.slot.end).strftime("%Y%m%dT%H%M%S")
        lines += ["BEGIN:VEVENT", f"UID:meeting-{row.meeting_id}@shuzhuantong",
                  f"DTSTAMP:{stamp}", f"DTSTART;TZID=Asia/Shanghai:{start}",
                  f"DTEND;TZID=Asia/Shanghai:{end}",
                  f"SUMMARY:{_ics_text(f'约见：{row.counterpart}（{row.table}号桌）')}",
                  f"LOCATION:{_ics_text(f'{event.place} {row.table}号桌'.strip())}",
                  f"DESCRIPTION:{_ics_text(f'{event.title}；留言：{row.message}')}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def reminders(*, session: Session, event: Event) -> list[dict[str, Any]]:
    """Validated participants with no meeting yet, and the message to send them."""
    busy: set[int] = set()
    for meeting in meetings(session=session, event_id=event.id or 0):
        request = session.get(MeetingRequest, meeting.request_id)
        if request is not None:
            busy |= {request.from_id, request.to_id}
    out = []
    for person in participants(session=session, event_id=event.id or 0):
        if person.validated and person.id not in busy:
            name = participant_name(session, person)
            text = (f"{name}您好：您已报名“{event.title}”，目前还没有安排约见。"
                    f"请登录数转通查看推荐的对接方并发起约见，或联系主办方协助安排。")
            out.append({"participant_id": person.id, "name": name, "message": text})
    return out


def schedule_workbook(*, session: Session, event: Event) -> bytes:
    """An xlsx of all meetings by table and slot, and one table sign per table."""
    book = Book()
    grid = book.sheet("日程")
    slots = event_slots(event.sessions)
    grid.append(["桌号", *[f"{s.session_name} {s.label}" for s in slots]])
    cells: dict[tuple[int, int], str] = {}
    for meeting in meetings(session=session, event_id=event.id or 0):
        cells[(meeting.table_no, meeting.slot)] = _pair_names(session, meeting)
    for table in range(1, event.tables + 1):
        grid.append([f"{table}号桌", *[cells.get((table, s.id), "") for s in slots]])
    signs = book.sheet("桌牌")
    for table in range(1, event.tables + 1):
        signs.append([f"{event.title}"])
        signs.append([f"{table} 号桌"])
        signs.append([])
    _report_sheet(book, report(session=session, event=event))
    return book.to_bytes()


REPORT_COLUMNS = (("requested", "申请"), ("accepted", "接受"), ("scheduled", "排程"),
                  ("held", "已见面"), ("no_show", "未到场"), ("intent", "有意向"), ("signed", "签约"))


def _report_sheet(book: Book, data: dict[str, Any]) -> None:
    sheet = book.sheet("成果统计")
    sheet.append(["行业（大类）", *[label for _, label in REPORT_COLUMNS]])
    for industry, counts in sorted(data["by_industry"].items()):
        sheet.append([industry, *[counts.get(key, 0) for key, _ in REPORT_COLUMNS]])
    sheet.append(["合计", *[data["totals"].get(key, 0) for key, _ in REPORT_COLUMNS]])


def _pair_names(session: Session, meeting: Meeting) -> str:
    request = session.get(MeetingRequest, meeting.request_id)
    if request is None:
        return ""
    names = [participant_name(session, p) for p in (session.get(EventParticipant, request.from_id),
                                                     session.get(EventParticipant, request.to_id)) if p]
    return " × ".join(names)


def report(*, session: Session, event: Event) -> dict[str, Any]:
    """Requested, accepted, held, no-shows, intentions, contracts — in all and by industry."""
    people = {p.id: p for p in participants(session=session, event_id=event.id or 0)}
    industry_of = {pid: _industry(session, p) for pid, p in people.items()}
    totals: Counter[str] = Counter()
    by_industry: dict[str, Counter[str]] = defaultdict(Counter)
    for request in requests_of(session=session, event_id=event.id or 0):
        firm = _firm_industry(industry_of, request)
        keys = ["requested"] + (["accepted"] if request.status in (
            RequestStatus.ACCEPTED, RequestStatus.CANCELLED) else [])
        for key in keys:
            totals[key] += 1
            by_industry[firm][key] += 1
    for meeting in meetings(session=session, event_id=event.id or 0):
        found = session.get(MeetingRequest, meeting.request_id)
        firm = _firm_industry(industry_of, found) if found else "未知"
        for key in _meeting_keys(meeting):
            totals[key] += 1
            by_industry[firm][key] += 1
    return {"totals": dict(totals), "by_industry": {k: dict(v) for k, v in by_industry.items()}}


def _firm_industry(industry_of: dict[int | None, str | None], request: MeetingRequest) -> str:
    for pid in (request.from_id, request.to_id):
        found = industry_of.get(pid)
        if found:
            return found
    return "未知"


def _meeting_keys(meeting: Meeting) -> list[str]:
    outcomes = {meeting.enterprise_outcome, meeting.provider_outcome} - {None}
    keys = ["scheduled"]
    if outcomes and outcomes != {Outcome.NO_SHOW.value}:
        keys.append("held")
    if Outcome.NO_SHOW.value in outcomes:
        keys.append("no_show")
    if Outcome.SIGNED.value in outcomes:
        keys.append("signed")
    elif Outcome.INTENT.value in outcomes:
        keys.append("intent")
    return keys


def _industry(session: Session, person: EventParticipant) -> str | None:
    if person.enterprise_id is None:
        return None
    firm = session.get(Enterprise, person.enterprise_id)
    return firm.industry[:3] if firm else None
