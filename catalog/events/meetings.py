"""Writes of 供需对接 meetings: storing a schedule, grid edits, cancellations, outcomes.

Running the schedule for an event is `run_schedule`: it reads the plain records the pure
scheduler needs (`schedule_inputs`), hands them to the scheduler it is given (catalog imports no
`matching`: the API, the pages, the command line and the seed pass matching.schedule.inputs.planner)
and stores the placements (`store_schedule`); how long the solver may search is
`schedule_time_limit`'s to decide, whichever door asks. A grid edit (`place_meeting`,
`swap_meetings`) is refused with every conflict it would make with the stored schedule, as the
scheduler's `GridCheck` it is handed finds them (matching.schedule.inputs.GRID_CHECK), whoever
edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from catalog import writes
from catalog.engagements import service as engagement_service
from catalog.engagements.models import Engagement, EngagementStatus
from catalog.engagements.schemas import EngagementCreate
from catalog.enterprises.models import Enterprise
from catalog.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from catalog.events import permissions as event_rules
from catalog.events.models import (
    Event,
    EventParticipant,
    EventStatus,
    Meeting,
    MeetingRequest,
    Outcome,
    Preference,
    RequestStatus,
    Side,
    SlotTime,
    event_slots,
)
from catalog.events.service import (
    _audit,
    _meetings,
    _set_request_status,
    cap_of,
    get_event,
    participant_of,
    participants,
)
from catalog.limits import REMARK_CHARS
from catalog.notifications import notices
from catalog.providers.models import Provider
from catalog.records import utcnow
from catalog.users.models import User


@dataclass(frozen=True)
class InputParticipant:
    id: int
    side: str
    representatives: int
    slots: frozenset[int]
    cap: int
    name: str


@dataclass(frozen=True)
class InputRequest:
    id: int
    a: int
    b: int
    must_meet: bool
    score: float | None


@dataclass(frozen=True)
class ScheduleInputs:
    """Everything the scheduler needs, as plain records (participant ids are row ids)."""

    slots: list[SlotTime]
    tables: int
    participants: list[InputParticipant]
    requests: list[InputRequest]
    fixed: list[tuple[int, int, int]]  # (request id, slot, table) of published meetings


def participant_name(session: Session, person: EventParticipant) -> str:
    """The company name of a participant."""
    record: Enterprise | Provider | None
    if person.enterprise_id is not None:
        record = session.get(Enterprise, person.enterprise_id)
    else:
        record = session.get(Provider, person.provider_id)
    return record.name if record is not None else f"参会方{person.id}"


def participant_names(session: Session, people: list[EventParticipant]) -> dict[int, str]:
    """Participant id → company name, in two queries whatever the number of participants."""
    firms = {p.enterprise_id for p in people if p.enterprise_id is not None}
    sellers = {p.provider_id for p in people if p.provider_id is not None}
    names: dict[tuple[str, int], str] = {}
    if firms:
        rows = session.exec(select(Enterprise.id, Enterprise.name).where(col(Enterprise.id).in_(firms)))
        names.update({("e", i): n for i, n in rows if i is not None})
    if sellers:
        rows = session.exec(select(Provider.id, Provider.name).where(col(Provider.id).in_(sellers)))
        names.update({("p", i): n for i, n in rows if i is not None})
    out = {}
    for p in people:
        key = ("e", p.enterprise_id) if p.enterprise_id is not None else ("p", p.provider_id or 0)
        out[p.id or 0] = names.get(key, f"参会方{p.id}")
    return out


def schedule_inputs(*, session: Session, event: Event) -> ScheduleInputs:
    """Validated participants, accepted requests and published meetings of an event.

    Read as plain columns, not records: the grid checks every edit against these, so a
    2,000-request event must load in well under the 200 ms an edit may take.
    """
    people = [p for p in participants(session=session, event_id=event.id or 0) if p.validated]
    names = participant_names(session, people)
    slots = event_slots(event.sessions)
    slots_of = {index: frozenset(s.id for s in slots if s.session == index) for index in range(len(event.sessions))}
    inputs = [InputParticipant(p.id or 0, p.side, p.representatives,
                               frozenset().union(*(slots_of.get(i, frozenset()) for i in p.sessions)),
                               cap_of(event, p), names[p.id or 0]) for p in people]
    valid = {p.id for p in people}
    accepted = session.execute(
        sa.select(col(MeetingRequest.id), col(MeetingRequest.from_id), col(MeetingRequest.to_id),
                  col(MeetingRequest.preference), col(MeetingRequest.score))
        .where(col(MeetingRequest.event_id) == event.id, col(MeetingRequest.status) == RequestStatus.ACCEPTED.value)
        .order_by(col(MeetingRequest.id)))
    requests = [InputRequest(rid or 0, a, b, preference == Preference.MUST, score)
                for rid, a, b, preference, score in accepted if a in valid and b in valid]
    fixed = [(m.request_id, m.slot, m.table_no) for m in meeting_places(session=session, event_id=event.id or 0)
             if m.published]
    return ScheduleInputs(slots, event.tables, inputs, requests, fixed)


@dataclass(frozen=True)
class MeetingPlace:
    """Where a stored meeting is (the columns the grid checks need, without the record)."""

    id: int
    request_id: int
    slot: int
    table_no: int
    published: bool


def meeting_places(*, session: Session, event_id: int) -> list[MeetingPlace]:
    """The places of an event's meetings, read as columns."""
    rows = session.execute(sa.select(col(Meeting.id), col(Meeting.request_id), col(Meeting.slot),
                                     col(Meeting.table_no), col(Meeting.published)).where(col(Meeting.event_id) == event_id))
    return [MeetingPlace(i or 0, r, s, t, bool(p)) for i, r, s, t, p in rows]


class Planned(Protocol):
    """What a scheduler makes of an event's inputs: at least the placements to store."""

    def placement_rows(self) -> list[tuple[int, int, int]]: ...  # (request id, slot, table)


P = TypeVar("P", bound=Planned)

SCHEDULE_TIME_LIMIT_S = 10.0
"""How long the solver searches for a better schedule when no limit is asked for (seconds)."""
SCHEDULE_TIME_LIMIT_MAX_S = 60.0
"""The longest a request may keep the solver searching (seconds): a page or an API call waits for it."""


def schedule_time_limit(seconds: float | None = None) -> float:
    """The solver's time limit for a schedule run: `seconds` when it is more than 0 and at most
    SCHEDULE_TIME_LIMIT_MAX_S, SCHEDULE_TIME_LIMIT_S when none is given; ValidationFailed otherwise.
    The API, the event page and `market events schedule` all ask here."""
    if seconds is None:
        return SCHEDULE_TIME_LIMIT_S
    if not 0 < seconds <= SCHEDULE_TIME_LIMIT_MAX_S:  # NaN fails both comparisons
        raise ValidationFailed(
            "bad_time_limit",
            f"求解时间上限应大于 0 秒、至多 {SCHEDULE_TIME_LIMIT_MAX_S:g} 秒（收到 {seconds:g} 秒）")
    return float(seconds)


def run_schedule(*, session: Session, event: Event, actor: str, plan: Callable[[ScheduleInputs], P]) -> P:
    """Schedule an event's accepted requests with the scheduler `plan` and store the result:
    the provisional meetings are replaced, published ones stay (`store_schedule`). Returns what
    `plan` made, for its figures."""
    _require_schedulable(event)
    planned = plan(schedule_inputs(session=session, event=event))
    store_schedule(session=session, event=event, placements=planned.placement_rows(), actor=actor)
    return planned


def _require_schedulable(event: Event) -> None:
    if event.status not in (EventStatus.REQUESTS, EventStatus.SCHEDULED):
        raise InvalidTransition(f"活动当前为“{event.status}”，不能排程（请先进入约见阶段）")


def store_schedule(*, session: Session, event: Event, placements: list[tuple[int, int, int]],
                   actor: str) -> list[Meeting]:
    """Replace the provisional (unpublished) meetings by `placements`; published ones stay."""
    _require_schedulable(event)
    current = _meetings(session, event.id)
    kept = {m.request_id for m in current if m.published}
    for meeting in current:
        if not meeting.published:
            session.delete(meeting)
    with writes.conflict_on_stale():  # a meeting another write changed meanwhile
        session.flush()
    added = [Meeting(event_id=event.id or 0, request_id=rid, slot=slot, table_no=table)
             for rid, slot, table in placements if rid not in kept]
    session.add_all(added)
    session.flush()
    _audit(session, actor, "schedule", "event", event.id, {"published_kept": len(kept)},
           {"meetings": [[m.request_id, m.slot, m.table_no] for m in added]})
    return added


def meeting_of(*, session: Session, event: Event, meeting_id: int) -> Meeting:
    """The meeting with this id on `event`'s schedule (one of another event is not found here)."""
    found = session.get(Meeting, meeting_id)
    if found is None or found.event_id != event.id:
        raise NotFound(f"未找到编号为 {meeting_id} 的约见")
    return found


def meeting_of_request(*, session: Session, event: Event, request_id: int) -> Meeting:
    """The meeting on `event`'s schedule for this request, or NotFound (not on the schedule)."""
    found = session.exec(select(Meeting).where(Meeting.event_id == event.id,
                                               Meeting.request_id == request_id)).first()
    if found is None:
        raise NotFound(f"约见 #{request_id} 不在日程中")
    return found


def meetings(*, session: Session, event_id: int) -> list[Meeting]:
    """An event's meetings by slot and table."""
    return _meetings(session, event_id)


def _editable(event: Event) -> None:
    if event.status not in (EventStatus.REQUESTS, EventStatus.SCHEDULED):
        raise InvalidTransition(f"活动当前为“{event.status}”，不能调整排程")


class GridCheck(Protocol):
    """What a scheduler says of an edit of an event's stored schedule: every conflict it would
    make, in Chinese (none: the edit fits). Handed in, since catalog imports no `matching`
    (matching.schedule.inputs.GRID_CHECK), as `run_schedule` is handed its planner."""

    def move(self, inputs: ScheduleInputs, places: list[MeetingPlace], request_id: int, slot: int,
             table: int) -> list[str]: ...  # a request's meeting put at (slot, table)

    def swap(self, inputs: ScheduleInputs, places: list[MeetingPlace], first: int,
             second: int) -> list[str]: ...  # two meetings (by request id) exchange places


def move_conflicts(*, session: Session, event: Event, request_id: int, slot: int, table: int,
                   check: GridCheck) -> list[str]:
    """Every conflict (in Chinese) of putting a request's meeting at (slot, table) of the stored
    schedule, as `check` finds them; none: the move fits."""
    return check.move(schedule_inputs(session=session, event=event),
                      meeting_places(session=session, event_id=event.id or 0), request_id, slot, table)


def swap_conflicts(*, session: Session, event: Event, first: Meeting, second: Meeting,
                   check: GridCheck) -> list[str]:
    """Every conflict (in Chinese) of exchanging two meetings' places, as `check` finds them."""
    return check.swap(schedule_inputs(session=session, event=event),
                      meeting_places(session=session, event_id=event.id or 0), first.request_id,
                      second.request_id)


def _refuse(reasons: list[str]) -> None:
    """Conflict naming every reason, when there is one."""
    if reasons:
        raise Conflict("；".join(reasons), code="schedule_conflict", details=reasons)


def place_meeting(*, session: Session, event: Event, request: MeetingRequest, slot: int,
                  table: int, actor: str, check: GridCheck) -> Meeting:
    """Put a request's meeting at (slot, table): a move, or a manual placement. Conflict, with
    every reason, when it conflicts with the stored schedule (`move_conflicts`)."""
    _editable(event)
    if request.status != RequestStatus.ACCEPTED or request.event_id != event.id:
        raise ValidationFailed("只有本活动已接受的约见才能排入日程")
    _refuse(move_conflicts(session=session, event=event, request_id=request.id or 0, slot=slot,
                           table=table, check=check))
    meeting = session.exec(select(Meeting).where(Meeting.request_id == request.id)).first()
    before = None
    if meeting is None:
        meeting = Meeting(event_id=event.id or 0, request_id=request.id or 0, slot=slot,
                          table_no=table)
        session.add(meeting)
    else:
        before = {"slot": meeting.slot, "table_no": meeting.table_no}
        meeting.slot, meeting.table_no = slot, table
        meeting.updated_at = utcnow()
    with writes.conflict_on_stale():  # the version condition: another write first → Conflict
        session.flush()
    _audit(session, actor, "move" if before else "create", "meeting", meeting.id, before,
           {"slot": slot, "table_no": table, "request_id": request.id})
    if meeting.published and before is not None:
        notices.schedule_changed(session=session, event=event, request_ids=[meeting.request_id], what="有调整")
    return meeting


def swap_meetings(*, session: Session, event: Event, first: Meeting, second: Meeting, actor: str,
                  check: GridCheck) -> None:
    """Exchange two meetings' slots and tables. Conflict, with every reason, when the exchange
    conflicts with the stored schedule (`swap_conflicts`)."""
    _editable(event)
    if first.event_id != event.id or second.event_id != event.id:
        raise ValidationFailed("只能交换同一活动的约见")
    _refuse(swap_conflicts(session=session, event=event, first=first, second=second, check=check))
    spots = (first.slot, first.table_no), (second.slot, second.table_no)
    (first.slot, first.table_no), (second.slot, second.table_no) = spots[1], spots[0]
    for meeting in (first, second):
        meeting.updated_at = utcnow()
    with writes.conflict_on_stale():
        session.flush()
    _audit(session, actor, "swap", "meeting", first.id, {"first": spots[0], "second": spots[1]},
           {"first": spots[1], "second": spots[0], "other_meeting": second.id})
    moved = [m.request_id for m in (first, second) if m.published]
    notices.schedule_changed(session=session, event=event, request_ids=moved, what="有调整")


def unschedule_meeting(*, session: Session, meeting: Meeting, actor: str,
                       cancel: bool = False) -> None:
    """Take a meeting off the grid; `cancel` also cancels its request (a late cancellation).
    Either way its slot and table are free again."""
    event = get_event(session=session, event_id=meeting.event_id)
    _editable(event)
    request = session.get(MeetingRequest, meeting.request_id)
    _audit(session, actor, "delete", "meeting", meeting.id,
           {"slot": meeting.slot, "table_no": meeting.table_no, "request_id": meeting.request_id,
            "published": meeting.published}, None)
    published, request_id = meeting.published, meeting.request_id
    session.delete(meeting)
    with writes.conflict_on_stale():
        session.flush()
    if cancel and request is not None:
        _set_request_status(session, request, RequestStatus.CANCELLED, actor)
    if published:
        what = "有调整：一场约见已取消" if cancel else "有调整：一场约见已移出日程"
        notices.schedule_changed(session=session, event=event, request_ids=[request_id], what=what)


# --- outcomes ----------------------------------------------------------------------------


def record_outcome(*, session: Session, meeting: Meeting, side: Side | str,
                   outcome: Outcome | str, actor: str, comment: str = "") -> Meeting:
    """One side's outcome of a held meeting; 有意向/已签约 create or advance an Engagement."""
    event = get_event(session=session, event_id=meeting.event_id)
    if event.status not in (EventStatus.SCHEDULED, EventStatus.CLOSED) or not meeting.published:
        raise InvalidTransition("约见尚未发布，不能登记对接成果")
    if outcome not in {o.value for o in Outcome}:
        raise ValidationFailed("对接成果应为：未到场、无合作意向、有意向、已签约")
    if side not in {s.value for s in Side}:
        raise ValidationFailed("登记方应为企业或服务商")
    if len(comment) > REMARK_CHARS:
        raise ValidationFailed(f"备注不能超过 {REMARK_CHARS} 字")
    prefix = "enterprise" if side == Side.ENTERPRISE else "provider"
    before = {f"{prefix}_outcome": getattr(meeting, f"{prefix}_outcome")}
    setattr(meeting, f"{prefix}_outcome", str(outcome))
    setattr(meeting, f"{prefix}_comment", comment.strip())
    meeting.updated_at = utcnow()
    with writes.conflict_on_stale():  # the audit append and the engagement may autoflush
        _audit(session, actor, "outcome", "meeting", meeting.id, before,
               {f"{prefix}_outcome": str(outcome), f"{prefix}_comment": comment.strip()})
        if outcome in (Outcome.INTENT, Outcome.SIGNED):
            engagement = _engage(session, meeting, Outcome(outcome), actor)
            meeting.engagement_id = engagement.id if engagement else meeting.engagement_id
        session.flush()
    return meeting


def outcome_side(*, session: Session, event: Event, meeting: Meeting, user: User,
                 side: Side | str | None = None) -> str:
    """Whose outcome of a meeting `user` records: a party records its own side, of a meeting it
    takes part in; the bureau managing the event records the side it names, on that party's
    behalf (a party named in `side` by anyone else is ignored)."""
    if event_rules.manages_event(user, event):
        if side is None:
            raise ValidationFailed("missing_side", "请指定代为登记的一方（企业或服务商）")
        return str(side)
    request = session.get(MeetingRequest, meeting.request_id)
    for person_id in (request.from_id, request.to_id) if request else ():
        person = participant_of(session=session, event=event, participant_id=person_id)
        if event_rules.own_participant(user, person):
            return person.side
    raise Forbidden("forbidden", "只能登记本单位参加的约见")


def record_meeting_outcome(*, session: Session, event: Event, meeting_id: int, user: User,
                           outcome: Outcome | str, actor: str, comment: str = "",
                           side: Side | str | None = None) -> Meeting:
    """Record an outcome of a meeting of `event` for the side `user` may record (`outcome_side`)."""
    meeting = meeting_of(session=session, event=event, meeting_id=meeting_id)
    whose = outcome_side(session=session, event=event, meeting=meeting, user=user, side=side)
    return record_outcome(session=session, meeting=meeting, side=whose, outcome=outcome,
                          comment=comment, actor=actor)


def _engage(session: Session, meeting: Meeting, outcome: Outcome, actor: str) -> Engagement | None:
    """Create (or advance to 签约) the enterprise × solution engagement behind a meeting."""
    request = session.get(MeetingRequest, meeting.request_id)
    if request is None:
        return None
    pair = [session.get(EventParticipant, request.from_id), session.get(EventParticipant, request.to_id)]
    firm = next((p for p in pair if p is not None and p.enterprise_id is not None), None)
    seller = next((p for p in pair if p is not None and p.provider_id is not None), None)
    if firm is None or seller is None:
        return None
    solution_id = request.solution_id or (seller.solution_ids[0] if seller.solution_ids else None)
    if solution_id is None:
        return None
    found = session.exec(select(Engagement).where(
        Engagement.enterprise_id == firm.enterprise_id, Engagement.solution_id == solution_id,
        Engagement.status != EngagementStatus.TERMINATED.value)).first()
    if found is None:
        data = EngagementCreate(enterprise_id=firm.enterprise_id or 0, solution_id=solution_id)
        found = engagement_service.create_engagement(session=session, data=data, actor=actor)
    if outcome == Outcome.SIGNED and found.status == EngagementStatus.INTENT:
        engagement_service.record_signing(session=session, engagement=found, actor=actor)
    return found
