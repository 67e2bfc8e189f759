"""Every write of 供需对接 events: events, participants, requests, meetings, outcomes.

Keyword-only functions that validate, change, flush (never commit) and append to the
audit chain. The scheduler itself is pure (matching.schedule.problem*); running it for an
event and storing its result is catalog.events.meetings.run_schedule, which is handed the
scheduler, since `catalog` imports nothing from `matching`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, col, select

from catalog import writes
from catalog.audit import service as audit
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise
from catalog.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from catalog.events import permissions as event_rules
from catalog.events.models import (
    EVENT_TRANSITIONS,
    Event,
    EventCreate,
    EventParticipant,
    EventStatus,
    EventUpdate,
    Meeting,
    MeetingRequest,
    ParticipantCreate,
    Preference,
    RequestStatus,
    Side,
    event_slots,
)
from catalog.notifications import notices
from catalog.providers import service as provider_service
from catalog.providers.models import Provider
from catalog.records import utcnow
from catalog.solutions import queries as solution_queries
from catalog.solutions import service as solution_service
from catalog.users.models import Role, User

LIVE = (RequestStatus.PENDING.value, RequestStatus.ACCEPTED.value)
_EVENT_FIELDS = tuple(EventCreate.model_fields) + ("status",)


def _audit(session: Session, actor: str, action: str, kind: str, key: Any,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    audit.append(session=session, actor=actor, action=action, record_type=kind,
                 record_key=str(key), before=before, after=after)


def _snap(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: audit.jsonable(getattr(record, name)) for name in fields}


# --- events ------------------------------------------------------------------------------


def _check_sessions(sessions: list[dict[str, Any]]) -> None:
    if len(sessions) > 6:
        raise ValidationFailed("一场活动最多设置 6 个场次")
    for spec in sessions:
        hour, minute = (int(x) for x in str(spec.get("start", "09:00")).split(":"))
        pause = int(spec.get("break_minutes", 0)) * len(set(spec.get("break_after", [])))
        end = hour * 60 + minute + int(spec.get("slots", 0)) * int(spec.get("slot_minutes", 20)) + pause
        if end > 24 * 60:
            raise ValidationFailed(f"场次“{spec.get('name', '')}”超过了当天 24:00，请减少时段数或提前开始")


def get_event(*, session: Session, event_id: int, user: User | None = None,
              manage: bool = False) -> Event:
    """The event with this id, or NotFound. Given the `user` asking (every front door that has
    one): NotFound too when the user may not see it (catalog.events.permissions.can_view_event),
    and with `manage`, Forbidden unless the user is the bureau managing it."""
    event = session.get(Event, event_id)
    if event is None or (user is not None and not event_rules.can_view_event(user, event)):
        raise NotFound(f"未找到编号为 {event_id} 的对接活动")
    if manage and not event_rules.manages_event(user, event):
        raise Forbidden("forbidden", "只有活动所在地区的主管部门可以管理该活动")
    return event


def create_event(*, session: Session, data: EventCreate, user: User | None, actor: str) -> Event:
    """Create an event in 草稿. `user`, the bureau holding it (every front door names it), may
    hold one only in its own regions (catalog.events.permissions.require_event_region); None is a
    write of the system itself (the demo data, a test's builder)."""
    if user is not None:
        event_rules.require_event_region(user, data.region)
    fields = data.model_dump()
    _check_sessions(fields["sessions"])
    event = Event(**fields, created_by=actor)
    session.add(event)
    session.flush()
    _audit(session, actor, "create", "event", event.id, None, _snap(event, _EVENT_FIELDS))
    return event


def update_event(*, session: Session, event: Event, data: EventUpdate, user: User | None, actor: str,
                 expected_version: int | None = None) -> Event:
    """Change an event's details; sessions and tables are frozen once it is scheduled. A stale
    `expected_version`, or another write to the event first, → Conflict (catalog/writes.py's guard).
    `user` moves the event only to a region of its own, as `create_event` holds one (None: the system)."""
    changes = data.model_dump(exclude_unset=True)
    region = changes.get("region")
    if user is not None and region is not None and region != event.region:
        event_rules.require_event_region(user, region)
    writes.require_version(event, expected_version)
    frozen = {"sessions", "tables"} & changes.keys()
    if frozen and event.status in (EventStatus.SCHEDULED, EventStatus.CLOSED):
        raise InvalidTransition("活动已排程，不能再修改场次或桌数")
    if "sessions" in changes:
        _check_sessions(changes["sessions"] or [])
    before, after = {}, {}
    for name, value in changes.items():
        if value is not None and getattr(event, name) != value:
            before[name], after[name] = audit.jsonable(getattr(event, name)), audit.jsonable(value)
            setattr(event, name, value)
    if after:
        event.updated_at = utcnow()
        with writes.conflict_on_stale():  # the version condition: another write first → Conflict
            _audit(session, actor, "update", "event", event.id, before, after)  # may autoflush
            session.flush()
    return event


def change_event_status(*, session: Session, event: Event, status: EventStatus | str,
                        actor: str) -> Event:
    """Move an event along 草稿 → 报名中 → 约见中 → 已排程 → 已结束."""
    target = EventStatus(status)
    if target not in EVENT_TRANSITIONS[EventStatus(event.status)]:
        raise InvalidTransition(f"活动状态不能从“{event.status}”变更为“{target.value}”")
    if target == EventStatus.REGISTRATION and not event_slots(event.sessions):
        raise ValidationFailed("请先设置场次与时段，再开放报名")
    if target == EventStatus.SCHEDULED and not _meetings(session, event.id):
        raise ValidationFailed("尚无排程结果，请先运行排程")
    before = {"status": event.status}
    event.status = target.value
    event.updated_at = utcnow()
    if target == EventStatus.SCHEDULED:
        for meeting in _meetings(session, event.id):
            meeting.published = True
    with writes.conflict_on_stale():
        _audit(session, actor, "status", "event", event.id, before, {"status": target.value})
        session.flush()
    if target == EventStatus.SCHEDULED:
        notices.schedule_changed(session=session, event=event, what="已发布",
                                 request_ids=notices.published_requests(session, event.id))
    return event


def publish_schedule(*, session: Session, event: Event, actor: str) -> Event:
    """Publish the provisional schedule (every meeting becomes published; status 已排程)."""
    if event.status == EventStatus.SCHEDULED:  # a second run: publish the new meetings
        fresh = [m.request_id for m in _meetings(session, event.id) if not m.published]
        for meeting in _meetings(session, event.id):
            meeting.published = True
        with writes.conflict_on_stale():
            _audit(session, actor, "publish", "event", event.id, None, {"published": True})
            session.flush()
        notices.schedule_changed(session=session, event=event, request_ids=fresh, what="有新的约见安排")
        return event
    return change_event_status(session=session, event=event, status=EventStatus.SCHEDULED,
                               actor=actor)


# --- participants ------------------------------------------------------------------------

_PARTICIPANT_FIELDS = ("event_id", "side", "enterprise_id", "provider_id", "sessions",
                       "need_ids", "solution_ids", "representatives", "validated", "consented")


def get_participant(*, session: Session, participant_id: int) -> EventParticipant:
    """The participant with this id, or NotFound."""
    found = session.get(EventParticipant, participant_id)
    if found is None:
        raise NotFound(f"未找到编号为 {participant_id} 的参会方")
    return found


def participant_of(*, session: Session, event: Event, participant_id: int) -> EventParticipant:
    """The participant with this id registered for `event`; one of another event is not found
    here, so whoever runs an event reaches only its own participants."""
    found = session.get(EventParticipant, participant_id)
    if found is None or found.event_id != event.id:
        raise NotFound(f"未找到编号为 {participant_id} 的参会方")
    return found


def own_registration(*, session: Session, event: Event, user: User) -> EventParticipant | None:
    """The participant `user` is at `event` (its enterprise's or provider's registration), if any."""
    for person in participants(session=session, event_id=event.id or 0):
        if event_rules.own_participant(user, person):
            return person
    return None


def acting_participant(*, session: Session, event: Event, user: User,
                       participant_id: int | None = None) -> EventParticipant:
    """The participant of `event` that `user` acts as: the one named by `participant_id` (the
    bureau managing the event any of its participants, anyone else only its own: Forbidden for
    another's), else the user's own registration (Forbidden when it has none)."""
    if participant_id is None:
        person = own_registration(session=session, event=event, user=user)
        if person is None:
            raise Forbidden("not_registered", "您尚未报名该活动")
        return person
    person = participant_of(session=session, event=event, participant_id=participant_id)
    if not event_rules.acts_for(user, event, person):
        raise Forbidden("forbidden", "只能以本单位的身份操作（代其他参会方操作须由活动所在地区的主管部门进行）")
    return person


def participants(*, session: Session, event_id: int) -> list[EventParticipant]:
    """An event's participants, in registration order."""
    query = select(EventParticipant).where(EventParticipant.event_id == event_id)
    return list(session.exec(query.order_by(col(EventParticipant.id))))


def party_of(user: User) -> tuple[int | None, int | None]:
    """The (enterprise id, provider id) a user registers and acts for at an event: a provider
    user's provider, an enterprise (or chain leader) user's enterprise; (None, None) else."""
    if user.role == Role.PROVIDER:
        return None, user.provider_id
    if user.role in (Role.ENTERPRISE, Role.CHAIN_LEADER):
        return user.enterprise_id, None
    return None, None


def register_for(*, session: Session, event: Event, data: ParticipantCreate, user: User,
                 actor: str) -> EventParticipant:
    """Register a party as `user` may: the bureau managing the event any party it may enrol
    (catalog.events.permissions.can_enrol), anyone else only their own enterprise or provider."""
    bureau = event_rules.manages_event(user, event)
    if bureau:
        require_enrol(session=session, user=user, data=data)
    else:
        probe = EventParticipant(event_id=event.id or 0, side="", enterprise_id=data.enterprise_id,
                                 provider_id=data.provider_id)
        if not event_rules.own_participant(user, probe):
            raise Forbidden("只能为本单位报名")
    return register(session=session, event=event, data=data, actor=actor, by_bureau=bureau)


def register(*, session: Session, event: Event, data: ParticipantCreate, actor: str,
             by_bureau: bool = False) -> EventParticipant:
    """Register an enterprise or a provider (by the bureau: also while requests run).

    A registration by the party itself carries its consent to be seen by the event's other side;
    one made by the bureau waits for the party's own `consent`."""
    open_states = {EventStatus.REGISTRATION.value}
    if by_bureau:
        open_states |= {EventStatus.DRAFT.value, EventStatus.REQUESTS.value}
    if event.status not in open_states:
        raise InvalidTransition(f"活动当前为“{event.status}”，不能报名")
    if (data.enterprise_id is None) == (data.provider_id is None):
        raise ValidationFailed("请指定报名的企业或服务商（二者选一）")
    side = Side.ENTERPRISE if data.enterprise_id is not None else Side.PROVIDER
    _check_offer(session, data)
    n_sessions = len(event.sessions)
    sessions = list(range(n_sessions)) if data.sessions is None else sorted(set(data.sessions))
    if not sessions or any(not 0 <= s < n_sessions for s in sessions):
        raise ValidationFailed("请至少选择一个有效的参会场次")
    if existing_registration(session, event.id or 0, data) is not None:
        raise Conflict("该单位已报名本活动", code="already_registered")
    person = EventParticipant(event_id=event.id or 0, side=side.value,
                              enterprise_id=data.enterprise_id, provider_id=data.provider_id,
                              sessions=sessions, need_ids=data.need_ids,
                              solution_ids=data.solution_ids,
                              representatives=data.representatives, validated=False,
                              consented=not by_bureau)
    session.add(person)
    session.flush()
    _audit(session, actor, "create", "event_participant", person.id, None,
           _snap(person, _PARTICIPANT_FIELDS))
    return person


def require_enrol(*, session: Session, user: User, data: ParticipantCreate) -> None:
    """A bureau registering a party for an event it manages: Forbidden unless
    catalog.events.permissions.can_enrol lets it register that enterprise or provider (one not
    found is left to `register`, which names it)."""
    party: Enterprise | Provider | None = None
    if data.enterprise_id is not None:
        party = session.get(Enterprise, data.enterprise_id)
    elif data.provider_id is not None:
        party = session.get(Provider, data.provider_id)
    if party is not None:
        event_rules.require_enrol(user, party)


def _check_offer(session: Session, data: ParticipantCreate) -> None:
    if data.enterprise_id is not None:
        enterprise_service.get_enterprise(session=session, enterprise_id=data.enterprise_id)
        for need_id in data.need_ids:
            need = enterprise_service.get_need(session=session, need_id=need_id)
            if need.enterprise_id != data.enterprise_id:
                raise ValidationFailed(f"需求 {need_id} 不属于该企业")
        if data.solution_ids:
            raise ValidationFailed("企业报名时不能携带产品，请填写需求")
        return
    assert data.provider_id is not None
    provider_service.get_provider(session=session, provider_id=data.provider_id)
    for solution_id in data.solution_ids:
        solution = solution_service.get_solution(session=session, solution_id=solution_id)
        if solution.provider_id != data.provider_id:
            raise ValidationFailed(f"产品 {solution_id} 不属于该服务商")
    unlisted = set(data.solution_ids) - solution_queries.listed(session=session, ids=list(data.solution_ids))
    if unlisted:
        raise ValidationFailed(f"产品 {'、'.join(map(str, sorted(unlisted)))} 尚未入库，不能带到对接活动")
    if data.need_ids:
        raise ValidationFailed("服务商报名时不能携带需求，请选择产品")


def existing_registration(session: Session, event_id: int, data: ParticipantCreate) -> EventParticipant | None:
    """The registration of the enterprise or provider of `data` for an event, if any."""
    query = select(EventParticipant).where(EventParticipant.event_id == event_id)
    if data.enterprise_id is not None:
        query = query.where(EventParticipant.enterprise_id == data.enterprise_id)
    else:
        query = query.where(EventParticipant.provider_id == data.provider_id)
    return session.exec(query).first()


def validate_participant(*, session: Session, event: Event, participant_id: int, actor: str,
                         validated: bool = True) -> EventParticipant:
    """The bureau confirms (or withdraws its confirmation of) a participant of `event`
    (NotFound for a participant of another event)."""
    participant = participant_of(session=session, event=event, participant_id=participant_id)
    if participant.validated != validated:
        before = {"validated": participant.validated}
        participant.validated = validated
        with writes.conflict_on_stale():  # the version condition: another write first → Conflict
            _audit(session, actor, "update", "event_participant", participant.id, before,
                   {"validated": validated})
            session.flush()
    return participant


def consent(*, session: Session, participant: EventParticipant, actor: str) -> EventParticipant:
    """The enterprise or provider confirms a registration the bureau made for it: its needs (or
    offers) may now reach the event's other side."""
    if not participant.consented:
        participant.consented = True
        with writes.conflict_on_stale():
            _audit(session, actor, "consent", "event_participant", participant.id, {"consented": False},
                   {"consented": True})
            session.flush()
    return participant


def consent_for(*, session: Session, event: Event, user: User, actor: str,
                participant_id: int | None = None) -> EventParticipant:
    """`user` confirms its own unit's registration for `event` (the one named, else its own):
    a consent is the party's own, so no one confirms another's, the bureau neither."""
    if participant_id is None:
        person = acting_participant(session=session, event=event, user=user)
    else:
        person = participant_of(session=session, event=event, participant_id=participant_id)
    if not event_rules.own_participant(user, person):
        raise Forbidden("forbidden", "只能确认本单位的报名")
    return consent(session=session, participant=person, actor=actor)


def cap_of(event: Event, participant: EventParticipant) -> int:
    """The most meetings a participant may hold: its own cap, else its side's."""
    if participant.max_meetings is not None:
        return participant.max_meetings
    if participant.side == Side.ENTERPRISE:
        return event.max_meetings_enterprise
    return event.max_meetings_provider


def available_slots(event: Event, participant: EventParticipant) -> set[int]:
    """The slot ids of the sessions a participant attends."""
    chosen = set(participant.sessions)
    return {s.id for s in event_slots(event.sessions) if s.session in chosen}


# --- meeting requests --------------------------------------------------------------------


def request_of(*, session: Session, event: Event, request_id: int) -> MeetingRequest:
    """The meeting request with this id made at `event` (one of another event is not found here)."""
    found = session.get(MeetingRequest, request_id)
    if found is None or found.event_id != event.id:
        raise NotFound(f"未找到编号为 {request_id} 的约见申请")
    return found


def requests_of(*, session: Session, event_id: int, status: str | None = None,
                participant_id: int | None = None) -> list[MeetingRequest]:
    """An event's requests, optionally of one status and/or involving one participant."""
    query = select(MeetingRequest).where(MeetingRequest.event_id == event_id)
    if status is not None:
        query = query.where(MeetingRequest.status == status)
    if participant_id is not None:
        query = query.where((MeetingRequest.from_id == participant_id)
                            | (MeetingRequest.to_id == participant_id))
    return list(session.exec(query.order_by(col(MeetingRequest.id))))


PairScore = Callable[[EventParticipant, EventParticipant], float | None]
"""The matcher's score (0…1) of a (sender, receiver) pair, None when it has nothing to compare:
handed in by the caller (catalog imports no `matching`), as `run_schedule` is handed its planner."""

REASON_LIMIT = 500


def request_meeting(*, session: Session, event: Event, user: User, to_id: int, actor: str,
                    from_id: int | None = None, message: str = "",
                    preference: Preference | str = Preference.WISH,
                    match_score: PairScore | None = None, reason: str = "",
                    solution_id: int | None = None, need_id: int | None = None) -> MeetingRequest:
    """`user` asks participant `to_id` of `event` for a meeting (`send_request`): as its own
    participant, or as the participant `from_id` names (the managing bureau any one, anyone
    else only its own: `acting_participant`)."""
    sender = acting_participant(session=session, event=event, user=user, participant_id=from_id)
    receiver = participant_of(session=session, event=event, participant_id=to_id)
    return send_request(session=session, event=event, sender=sender, receiver=receiver, actor=actor,
                        message=message, preference=preference, match_score=match_score,
                        reason=reason, solution_id=solution_id, need_id=need_id)


def send_request(*, session: Session, event: Event, sender: EventParticipant,
                 receiver: EventParticipant, actor: str, message: str = "",
                 preference: Preference | str = Preference.WISH,
                 match_score: PairScore | None = None, reason: str = "",
                 solution_id: int | None = None, need_id: int | None = None) -> MeetingRequest:
    """Ask another participant for a meeting; caps and availability are checked now. The
    request's score, which weighs it when the schedule is built, is the matcher's
    (`match_score`), never the sender's: none given, the request has none."""
    _check_request_window(event)
    _check_pair(session, event, sender, receiver)
    if preference not in {p.value for p in Preference}:
        raise ValidationFailed("约见意愿应为“必须见”或“希望见”")
    if len(message) > 500:
        raise ValidationFailed("留言不能超过 500 字")
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed(f"推荐理由不能超过 {REASON_LIMIT} 字")
    reasons = capacity_reasons(session=session, event=event, sender=sender, receiver=receiver)
    if reasons:
        raise Conflict(reasons[0], code="capacity")
    score = match_score(sender, receiver) if match_score is not None else None
    status = RequestStatus.ACCEPTED if event.auto_accept else RequestStatus.PENDING
    request = MeetingRequest(event_id=event.id or 0, from_id=sender.id or 0,
                             to_id=receiver.id or 0,
                             message=message.strip(), preference=str(preference),
                             status=status.value, score=score, reason=reason.strip(),
                             solution_id=solution_id, need_id=need_id,
                             responded_at=utcnow() if event.auto_accept else None)
    session.add(request)
    session.flush()
    _audit(session, actor, "create", "meeting_request", request.id, None,
           {"from_id": sender.id, "to_id": receiver.id, "preference": request.preference,
            "status": request.status, "score": score})
    notices.meeting_requested(session=session, event=event, request=request)
    return request


def _check_request_window(event: Event) -> None:
    if event.status not in (EventStatus.REGISTRATION, EventStatus.REQUESTS):
        raise InvalidTransition(f"活动当前为“{event.status}”，不能发起或回复约见")
    deadline = event.request_deadline
    if deadline is not None:
        aware = deadline if deadline.tzinfo else deadline.replace(tzinfo=utcnow().tzinfo)
        if utcnow() > aware:
            raise InvalidTransition("约见申请已截止")


def _check_pair(session: Session, event: Event, sender: EventParticipant,
                receiver: EventParticipant) -> None:
    if sender.event_id != event.id or receiver.event_id != event.id:
        raise ValidationFailed("双方须为本活动的参会方")
    if sender.id == receiver.id:
        raise ValidationFailed("不能约见自己")
    if sender.side == receiver.side:
        raise ValidationFailed("企业只能约见服务商，服务商只能约见企业")
    if not sender.validated:
        raise Forbidden("您的参会资格尚未经主办方确认")
    if not receiver.validated:
        raise ValidationFailed("对方的参会资格尚未经主办方确认")
    pair = {sender.id, receiver.id}
    for other in requests_of(session=session, event_id=event.id, participant_id=sender.id):
        if {other.from_id, other.to_id} == pair and other.status in LIVE:
            raise Conflict("双方之间已有约见申请", code="duplicate_request")


def capacity_reasons(*, session: Session, event: Event, sender: EventParticipant,
                     receiver: EventParticipant, ignore_request: int | None = None) -> list[str]:
    """Why a new accepted meeting between the two cannot fit (empty when it can)."""
    common = available_slots(event, sender) & available_slots(event, receiver)
    if not common:
        return ["双方没有共同的参会时段"]
    reasons = []
    for person, whose in ((receiver, "对方"), (sender, "您")):
        accepted = [r for r in requests_of(session=session, event_id=event.id or 0,
                                           status=RequestStatus.ACCEPTED.value,
                                           participant_id=person.id) if r.id != ignore_request]
        cap = cap_of(event, person)
        if len(accepted) >= cap:
            reasons.append(f"{whose}的约见数已满（上限 {cap} 场）")
            continue
        bound = _bound_to(session, event, person, accepted, common)
        if bound >= person.representatives * len(common):
            reasons.append(f"{whose}该时段已满（双方共同的时段均已约满）")
    return reasons


def _bound_to(session: Session, event: Event, person: EventParticipant,
              accepted: list[MeetingRequest], common: set[int]) -> int:
    """Accepted meetings of `person` that can only take place within `common`."""
    mine = available_slots(event, person)
    count = 0
    for request in accepted:
        other_id = request.to_id if request.from_id == person.id else request.from_id
        other = session.get(EventParticipant, other_id)
        if other is not None and mine & available_slots(event, other) <= common:
            count += 1
    return count


def respond_request(*, session: Session, request: MeetingRequest, accept: bool,
                    actor: str) -> MeetingRequest:
    """The receiver accepts or declines a pending request (accepting re-checks capacity)."""
    event = get_event(session=session, event_id=request.event_id)
    _check_request_window(event)
    if request.status != RequestStatus.PENDING:
        raise InvalidTransition(f"该约见申请已是“{request.status}”，不能再回复")
    if accept:
        sender = get_participant(session=session, participant_id=request.from_id)
        receiver = get_participant(session=session, participant_id=request.to_id)
        reasons = capacity_reasons(session=session, event=event, sender=receiver,
                                   receiver=sender, ignore_request=request.id)
        if reasons:
            raise Conflict(reasons[0], code="capacity")
    answered = _set_request_status(session, request, RequestStatus.ACCEPTED if accept
                                   else RequestStatus.DECLINED, actor)
    notices.meeting_answered(session=session, request=answered)
    return answered


def answer_request(*, session: Session, event: Event, request_id: int, accept: bool, user: User,
                   actor: str) -> MeetingRequest:
    """Answer a request of `event`: as its receiver, or as the bureau managing the event on the
    receiver's behalf (a party that answered by phone or at the desk)."""
    request = request_of(session=session, event=event, request_id=request_id)
    receiver = participant_of(session=session, event=event, participant_id=request.to_id)
    if not event_rules.acts_for(user, event, receiver):
        raise Forbidden("forbidden", "只有被约见方可以回复该申请")
    return respond_request(session=session, request=request, accept=accept, actor=actor)


def take_back_request(*, session: Session, event: Event, request_id: int, user: User,
                      actor: str) -> MeetingRequest:
    """Withdraw a request of `event` that is not scheduled yet: as its sender, or as the bureau
    managing the event on the sender's behalf."""
    request = request_of(session=session, event=event, request_id=request_id)
    sender = participant_of(session=session, event=event, participant_id=request.from_id)
    if not event_rules.acts_for(user, event, sender):
        raise Forbidden("forbidden", "只有发起方可以撤回该申请")
    return withdraw_request(session=session, request=request, actor=actor)


def withdraw_refusal(request: MeetingRequest, *, scheduled: bool) -> str | None:
    """Why a request may not be withdrawn (None: it may): only a live one (waiting or accepted)
    that is not on the schedule (`scheduled`: it has a meeting) may. `withdraw_request` refuses
    by it, and catalog.events.queries.withdrawable offers 撤回 by it."""
    if request.status not in LIVE:
        return f"该约见申请已是“{request.status}”，不能撤回"
    if scheduled:
        return "该约见已排程，请联系主办方取消"
    return None


def withdraw_request(*, session: Session, request: MeetingRequest, actor: str) -> MeetingRequest:
    """The sender withdraws a request that is not scheduled yet (`withdraw_refusal`)."""
    scheduled = session.exec(select(Meeting.id).where(Meeting.request_id == request.id)).first() is not None
    refusal = withdraw_refusal(request, scheduled=scheduled)
    if refusal is not None:
        raise InvalidTransition(refusal)
    return _set_request_status(session, request, RequestStatus.WITHDRAWN, actor)


def _set_request_status(session: Session, request: MeetingRequest, status: RequestStatus,
                        actor: str) -> MeetingRequest:
    before = {"status": request.status}
    request.status = status.value
    request.responded_at = utcnow()
    _audit(session, actor, "status", "meeting_request", request.id, before,
           {"status": status.value})
    session.flush()
    return request


def _meetings(session: Session, event_id: int | None) -> list[Meeting]:
    query = select(Meeting).where(Meeting.event_id == event_id)
    return list(session.exec(query.order_by(col(Meeting.slot), col(Meeting.table_no))))
