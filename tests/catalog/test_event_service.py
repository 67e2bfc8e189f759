"""供需对接 events: lifecycle, registration, requests with caps, stored schedules, outcomes."""

from __future__ import annotations

import pytest
from catalog_builders import make_enterprise, make_need, make_solution, provider_data
from sqlmodel import Session, select

from catalog.audit import service as audit
from catalog.engagements.models import Engagement
from catalog.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from catalog.events import meetings as event_meetings
from catalog.events import permissions as event_rules
from catalog.events import queries as event_views
from catalog.events import service as event_service
from catalog.events.models import (
    Event,
    EventCreate,
    EventParticipant,
    EventStatus,
    EventUpdate,
    Meeting,
    ParticipantCreate,
    RequestStatus,
    event_slots,
)
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.users.models import Role, User
from matching.schedule.inputs import GRID_CHECK

SESSIONS = [
    {"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3, "break_after": [2],
     "break_minutes": 10},
    {"name": "下午", "start": "14:00", "slot_minutes": 30, "slots": 2},
]


def listed_provider(session: Session, seed: str = "p1") -> Provider:
    """A provider in the pool (已入库): only a listed provider's offerings go to an event."""
    return provider_service.create_provider(session=session, data=provider_data(seed), actor="tester",
                                            status=ListingStatus.PUBLISHED)


def make_event(session: Session, **overrides: object) -> Event:
    data = EventCreate.model_validate({"title": "化工行业供需对接会", "region": "九江市",
                                       "sessions": SESSIONS, "tables": 3,
                                       "max_meetings_enterprise": 2} | overrides)
    event = event_service.create_event(session=session, data=data, user=None, actor="局")
    event_service.change_event_status(session=session, event=event,
                                      status=EventStatus.REGISTRATION, actor="局")
    return event


def join(session: Session, event: Event, *, enterprise=None, provider=None, solutions=(),
         sessions=None, reps: int = 1) -> EventParticipant:
    data = ParticipantCreate(
        enterprise_id=enterprise.id if enterprise else None,
        provider_id=provider.id if provider else None,
        solution_ids=[s.id for s in solutions], sessions=sessions, representatives=reps)
    person = event_service.register(session=session, event=event, data=data, actor="报名")
    return event_service.validate_participant(session=session, event=event, participant_id=person.id or 0,
                                              actor="局")


def test_slots_follow_sessions_with_breaks() -> None:
    slots = event_slots(SESSIONS)
    assert [s.id for s in slots] == [1, 2, 3, 4, 5]
    assert [s.label for s in slots] == ["09:00–09:20", "09:20–09:40", "09:50–10:10",
                                        "14:00–14:30", "14:30–15:00"]
    assert [s.session for s in slots] == [0, 0, 0, 1, 1]


def test_lifecycle_moves_only_along_the_allowed_states(session: Session) -> None:
    data = EventCreate(title="空活动", region="江西省九江市")
    event = event_service.create_event(session=session, data=data, user=None, actor="局")
    with pytest.raises(ValidationFailed, match="场次"):
        event_service.change_event_status(session=session, event=event,
                                          status=EventStatus.REGISTRATION, actor="局")
    event_service.update_event(session=session, event=event, user=None, actor="局",
                               data=EventUpdate(sessions=SESSIONS))
    event_service.change_event_status(session=session, event=event,
                                      status=EventStatus.REGISTRATION, actor="局")
    with pytest.raises(InvalidTransition, match="不能从“报名中”变更为“已结束”"):
        event_service.change_event_status(session=session, event=event,
                                          status=EventStatus.CLOSED, actor="局")
    event_service.change_event_status(session=session, event=event,
                                      status=EventStatus.REQUESTS, actor="局")
    with pytest.raises(ValidationFailed, match="尚无排程"):
        event_service.change_event_status(session=session, event=event,
                                          status=EventStatus.SCHEDULED, actor="局")
    session.commit()
    assert audit.verify(session=session).ok


def test_registration_checks_offers_and_duplicates(session: Session) -> None:
    event = make_event(session)
    firm, seller, other = make_enterprise(session), listed_provider(session), listed_provider(session, "p2")
    foreign = make_solution(session, other, "S-9")
    with pytest.raises(ValidationFailed, match="不属于该服务商"):
        join(session, event, provider=seller, solutions=[foreign])
    join(session, event, enterprise=firm, sessions=[0])
    with pytest.raises(Conflict, match="已报名"):
        join(session, event, enterprise=firm)
    with pytest.raises(ValidationFailed, match="参会场次"):
        join(session, event, provider=seller, sessions=[7])
    need = make_need(session, firm)
    other_firm = make_enterprise(session, "e2")
    data = ParticipantCreate(enterprise_id=other_firm.id, need_ids=[need.id])
    with pytest.raises(ValidationFailed, match="不属于该企业"):
        event_service.register(session=session, event=event, data=data, actor="报名")


def test_requests_enforce_sides_validation_duplicates_and_caps(session: Session) -> None:
    event = make_event(session, max_meetings_enterprise=1)
    firm = join(session, event, enterprise=make_enterprise(session))
    p1 = join(session, event, provider=listed_provider(session, "p1"))
    p2 = join(session, event, provider=listed_provider(session, "p2"))
    firm2 = join(session, event, enterprise=make_enterprise(session, "e2"))
    with pytest.raises(ValidationFailed, match="企业只能约见服务商"):
        event_service.send_request(session=session, event=event, sender=firm, receiver=firm2,
                                   actor="a")
    first = event_service.send_request(session=session, event=event, sender=firm, receiver=p1,
                                       actor="a", preference="必须见", message="想了解质量追溯")
    with pytest.raises(Conflict, match="已有约见申请"):
        event_service.send_request(session=session, event=event, sender=p1, receiver=firm,
                                   actor="a")
    event_service.respond_request(session=session, request=first, accept=True, actor="b")
    assert first.status == RequestStatus.ACCEPTED
    with pytest.raises(Conflict, match="您的约见数已满（上限 1 场）"):
        event_service.send_request(session=session, event=event, sender=firm, receiver=p2,
                                   actor="a")
    with pytest.raises(Conflict, match="对方的约见数已满"):
        event_service.send_request(session=session, event=event, sender=p2, receiver=firm,
                                   actor="a")
    with pytest.raises(InvalidTransition, match="不能再回复"):
        event_service.respond_request(session=session, request=first, accept=False, actor="b")


def test_request_reports_a_full_slot_and_no_common_session(session: Session) -> None:
    event = make_event(session)
    morning = join(session, event, enterprise=make_enterprise(session), sessions=[0])
    afternoon = join(session, event, provider=listed_provider(session), sessions=[1])
    with pytest.raises(Conflict, match="双方没有共同的参会时段"):
        event_service.send_request(session=session, event=event, sender=morning,
                                   receiver=afternoon, actor="a")
    # A provider at the afternoon only (2 slots, 1 representative) with 2 accepted meetings
    # that can only happen in the afternoon is full there.
    event.auto_accept = True
    firms = [join(session, event, enterprise=make_enterprise(session, f"x{i}"), sessions=[1])
             for i in range(3)]
    for firm in firms[:2]:
        event_service.send_request(session=session, event=event, sender=firm, receiver=afternoon,
                                   actor="a")
    with pytest.raises(Conflict, match="对方该时段已满"):
        event_service.send_request(session=session, event=event, sender=firms[2],
                                   receiver=afternoon, actor="a")


def test_unvalidated_participants_cannot_send(session: Session) -> None:
    event = make_event(session)
    data = ParticipantCreate(enterprise_id=make_enterprise(session).id)
    firm = event_service.register(session=session, event=event, data=data, actor="报名")
    seller = join(session, event, provider=listed_provider(session))
    with pytest.raises(Forbidden, match="尚未经主办方确认"):
        event_service.send_request(session=session, event=event, sender=firm, receiver=seller,
                                   actor="a")


def _scheduled(session: Session) -> tuple[Event, list, list]:
    event = make_event(session, auto_accept=True)
    seller = listed_provider(session)
    solution = make_solution(session, seller)
    sellers = [join(session, event, provider=seller, solutions=[solution], reps=2)]
    firms = [join(session, event, enterprise=make_enterprise(session, f"e{i}")) for i in range(3)]
    requests = [event_service.send_request(session=session, event=event, sender=f,
                                           receiver=sellers[0], actor="a") for f in firms]
    event_service.change_event_status(session=session, event=event, status=EventStatus.REQUESTS,
                                      actor="局")
    return event, firms, requests


def test_inputs_store_publish_and_second_run_keeps_published(session: Session) -> None:
    event, firms, requests = _scheduled(session)
    inputs = event_meetings.schedule_inputs(session=session, event=event)
    assert len(inputs.slots) == 5 and inputs.tables == 3
    assert {p.cap for p in inputs.participants} == {2, 12}
    assert [r.id for r in inputs.requests] == [r.id for r in requests]
    event_meetings.store_schedule(session=session, event=event, actor="局",
                                  placements=[(requests[0].id, 1, 1), (requests[1].id, 1, 2)])
    event_service.publish_schedule(session=session, event=event, actor="局")
    assert event.status == EventStatus.SCHEDULED
    event_meetings.store_schedule(session=session, event=event, actor="局",
                                  placements=[(requests[0].id, 3, 3), (requests[2].id, 2, 1)])
    stored = {m.request_id: (m.slot, m.table_no, m.published)
              for m in event_meetings.meetings(session=session, event_id=event.id)}
    assert stored == {requests[0].id: (1, 1, True), requests[1].id: (1, 2, True),
                      requests[2].id: (2, 1, False)}
    again = event_meetings.schedule_inputs(session=session, event=event)
    assert sorted(again.fixed) == [(requests[0].id, 1, 1), (requests[1].id, 1, 2)]
    session.commit()
    assert audit.verify(session=session).ok


def test_cancellation_frees_the_slot_and_outcomes_create_engagements(session: Session) -> None:
    event, firms, requests = _scheduled(session)
    event_meetings.store_schedule(session=session, event=event, actor="局",
                                  placements=[(r.id, 1 + i, 1) for i, r in enumerate(requests)])
    event_service.publish_schedule(session=session, event=event, actor="局")
    first, second, third = event_meetings.meetings(session=session, event_id=event.id)
    event_meetings.unschedule_meeting(session=session, meeting=third, actor="局", cancel=True)
    assert requests[2].status == RequestStatus.CANCELLED
    assert len(event_meetings.meetings(session=session, event_id=event.id)) == 2
    moved = event_meetings.place_meeting(session=session, event=event, request=requests[1],
                                         slot=3, table=1, actor="局", check=GRID_CHECK)
    assert (moved.slot, moved.table_no) == (3, 1)
    event_meetings.record_outcome(session=session, meeting=first, side="enterprise",
                                  outcome="有意向", comment="下月上门调研", actor="企业")
    engagement = session.get(Engagement, first.engagement_id)
    assert engagement is not None and engagement.status == "意向"
    event_meetings.record_outcome(session=session, meeting=first, side="provider",
                                  outcome="已签约", actor="服务商")
    assert engagement.status == "签约"
    assert len(session.exec(select(Engagement)).all()) == 1
    event_meetings.record_outcome(session=session, meeting=second, side="enterprise",
                                  outcome="未到场", actor="企业")
    assert second.engagement_id is None
    with pytest.raises(ValidationFailed, match="对接成果应为"):
        event_meetings.record_outcome(session=session, meeting=second, side="enterprise",
                                      outcome="很好", actor="企业")
    session.commit()
    assert session.exec(select(Meeting).where(Meeting.id == third.id)).first() is None
    assert audit.verify(session=session).ok


def test_outcomes_wait_for_publication(session: Session) -> None:
    event, _, requests = _scheduled(session)
    event_meetings.store_schedule(session=session, event=event, actor="局",
                                  placements=[(requests[0].id, 1, 1)])
    (meeting,) = event_meetings.meetings(session=session, event_id=event.id)
    with pytest.raises(InvalidTransition, match="尚未发布"):
        event_meetings.record_outcome(session=session, meeting=meeting, side="enterprise",
                                      outcome="有意向", actor="企业")


def test_sessions_are_checked(session: Session) -> None:
    with pytest.raises(ValueError, match="start"):
        EventCreate.model_validate({"title": "错", "sessions": [{"start": "9点"}]})
    late = EventCreate.model_validate({"title": "晚", "region": "江西省九江市", "sessions": [
        {"name": "晚上", "start": "22:00", "slot_minutes": 30, "slots": 6}]})
    with pytest.raises(ValidationFailed, match="超过了当天 24:00"):
        event_service.create_event(session=session, data=late, user=None, actor="局")
    with pytest.raises(ValueError, match="场次最多 6 项"):
        EventCreate.model_validate({"title": "多", "region": "江西省九江市", "sessions": [{"slots": 1}] * 7})


def test_a_bureau_holds_and_moves_an_event_only_in_its_own_regions(session: Session) -> None:
    """The region rule is the service's, whichever door creates or edits the event."""
    own = User(username="九江局", role=Role.BUREAU, regions=["九江市"])
    neighbour = User(username="新乡局", role=Role.BUREAU, regions=["新乡市"])
    data = EventCreate.model_validate({"title": "对接会", "region": "九江市", "sessions": SESSIONS})
    with pytest.raises(Forbidden, match="只能在本辖区内举办对接活动"):
        event_service.create_event(session=session, data=data, user=neighbour, actor="新乡局")
    event = event_service.create_event(session=session, data=data, user=own, actor="九江局")
    with pytest.raises(Forbidden, match="“新乡市”不在本辖区内"):
        event_service.update_event(session=session, event=event, data=EventUpdate(region="新乡市"),
                                   user=own, actor="九江局")
    event_service.update_event(session=session, event=event, data=EventUpdate(region="九江市", place="会展中心"),
                               user=own, actor="九江局")  # its own region, unchanged: no question
    assert (event.region, event.place) == ("九江市", "会展中心")
    assert event_rules.can_create_event(own) and not event_rules.can_create_event(
        User(username="无辖区局", role=Role.BUREAU, regions=[]))
    assert not event_rules.can_create_event(User(username="停用局", role=Role.BUREAU, regions=["九江市"],
                                                 active=False))


def test_the_schedule_time_limit_is_one_rule() -> None:
    assert event_meetings.schedule_time_limit(None) == event_meetings.SCHEDULE_TIME_LIMIT_S == 10
    assert event_meetings.schedule_time_limit(event_meetings.SCHEDULE_TIME_LIMIT_MAX_S) == 60
    assert event_meetings.schedule_time_limit(0.5) == 0.5
    for wrong in (0, -1, 60.5, float("nan"), float("inf")):
        with pytest.raises(ValidationFailed, match="求解时间上限应大于 0 秒、至多 60 秒") as caught:
            event_meetings.schedule_time_limit(wrong)
        assert caught.value.code == "bad_time_limit"


def test_a_grid_edit_that_conflicts_is_refused_by_the_service_whoever_calls(session: Session) -> None:
    """catalog.events.meetings checks every move and swap with the scheduler's check it is handed
    (the API, the page and anyone else calling it alike) and changes nothing it refuses."""
    event = make_event(session, auto_accept=True)
    seller = listed_provider(session)
    stand = join(session, event, provider=seller, solutions=[make_solution(session, seller)], reps=2)
    morning = join(session, event, enterprise=make_enterprise(session, "e1"), sessions=[0])
    afternoon = join(session, event, enterprise=make_enterprise(session, "e2"), sessions=[1])
    anytime = join(session, event, enterprise=make_enterprise(session, "e3"))
    early, late, free = (event_service.send_request(session=session, event=event, sender=firm, receiver=stand,
                                                    actor="a") for firm in (morning, afternoon, anytime))
    event_service.change_event_status(session=session, event=event, status=EventStatus.REQUESTS, actor="局")
    event_meetings.store_schedule(session=session, event=event, actor="局",
                                  placements=[(early.id, 1, 1), (late.id, 4, 1)])
    places = {m.request_id: (m.slot, m.table_no) for m in event_meetings.meetings(session=session, event_id=event.id)}
    with pytest.raises(Conflict, match="1号桌该时段已有约见") as refused:
        event_meetings.place_meeting(session=session, event=event, request=free, slot=1, table=1, actor="局",
                                     check=GRID_CHECK)
    assert refused.value.code == "schedule_conflict"
    first, second = event_meetings.meetings(session=session, event_id=event.id)
    with pytest.raises(Conflict, match="该时段不参会"):  # the morning firm would meet in the afternoon
        event_meetings.swap_meetings(session=session, event=event, first=first, second=second, actor="局",
                                     check=GRID_CHECK)
    session.expire_all()
    assert {m.request_id: (m.slot, m.table_no) for m in event_meetings.meetings(session=session, event_id=event.id)} \
        == places
    placed = event_meetings.place_meeting(session=session, event=event, request=free, slot=1, table=2, actor="局",
                                          check=GRID_CHECK)  # the seller's second representative is free
    assert (placed.slot, placed.table_no) == (1, 2)


def test_the_requests_offered_for_withdrawal_are_those_the_service_withdraws(session: Session) -> None:
    """catalog.events.queries.withdrawable and catalog.events.service.withdraw_request ask one
    rule (withdraw_refusal): a waiting or accepted request not on the schedule."""
    event = make_event(session)
    seller = listed_provider(session)
    stand = join(session, event, provider=seller, solutions=[make_solution(session, seller)], reps=2)
    firms = [join(session, event, enterprise=make_enterprise(session, f"e{i}")) for i in range(4)]
    waiting, accepted, placed, declined = (event_service.send_request(
        session=session, event=event, sender=stand, receiver=firm, actor="a") for firm in firms)
    for request, accept in ((accepted, True), (placed, True), (declined, False)):
        event_service.respond_request(session=session, request=request, accept=accept, actor="b")
    event_service.change_event_status(session=session, event=event, status=EventStatus.REQUESTS, actor="局")
    event_meetings.store_schedule(session=session, event=event, actor="局", placements=[(placed.id, 1, 1)])
    requests = event_service.requests_of(session=session, event_id=event.id)
    offered = event_views.withdrawable(session=session, requests=requests, sender=stand)
    assert offered == {waiting.id, accepted.id}
    assert event_views.withdrawable(session=session, requests=requests, sender=firms[0]) == set()  # not its own
    withdrawn = set()
    for request in requests:
        try:
            event_service.withdraw_request(session=session, request=request, actor="a")
        except InvalidTransition:
            continue
        withdrawn.add(request.id)
    assert withdrawn == offered
