"""The records of 供需对接 events: events, participants, meeting requests, meetings.

An event's time slots are derived from its `sessions` (see `event_slots`): slot ids are
1…N in time order, so a meeting stores the slot number, not a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.fields import Input, Name, OptCode, Place, RecordRef, Region, at_most
from catalog.limits import EVENT_ITEMS
from catalog.records import Versioned, utcnow


class EventStatus(StrEnum):
    DRAFT = "草稿"
    REGISTRATION = "报名中"
    REQUESTS = "约见中"
    SCHEDULED = "已排程"
    CLOSED = "已结束"


EVENT_TRANSITIONS: dict[EventStatus, frozenset[EventStatus]] = {
    EventStatus.DRAFT: frozenset({EventStatus.REGISTRATION}),
    EventStatus.REGISTRATION: frozenset({EventStatus.REQUESTS, EventStatus.DRAFT}),
    EventStatus.REQUESTS: frozenset({EventStatus.SCHEDULED, EventStatus.REGISTRATION}),
    EventStatus.SCHEDULED: frozenset({EventStatus.CLOSED, EventStatus.REQUESTS}),
    EventStatus.CLOSED: frozenset(),
}


class Side(StrEnum):
    ENTERPRISE = "enterprise"
    PROVIDER = "provider"


class Preference(StrEnum):
    MUST = "必须见"
    WISH = "希望见"


class RequestStatus(StrEnum):
    PENDING = "待回复"
    ACCEPTED = "已接受"
    DECLINED = "已拒绝"
    WITHDRAWN = "已撤回"
    CANCELLED = "已取消"


class Outcome(StrEnum):
    NO_SHOW = "未到场"
    NO_INTEREST = "无合作意向"
    INTENT = "有意向"
    SIGNED = "已签约"


def _json(default: Any = list) -> Any:
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


class Event(Versioned, SQLModel, table=True):
    """供需对接活动 (optimistic concurrency: catalog.records.Versioned)."""

    id: int | None = Field(default=None, primary_key=True)
    title: str
    industry: str | None = None  # GB/T 4754 code of the industry focus
    region: str = Field(default="", index=True)
    place: str = ""
    day: date | None = None
    # [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 6,
    #   "break_after": [3], "break_minutes": 10}, …]
    sessions: list[dict[str, Any]] = _json()
    tables: int = 10
    request_deadline: datetime | None = None
    max_meetings_enterprise: int = 6
    max_meetings_provider: int = 12
    auto_accept: bool = False
    status: str = Field(default=EventStatus.DRAFT, index=True)
    created_by: str = ""
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EventParticipant(Versioned, SQLModel, table=True):
    """An enterprise or a provider registered for an event (optimistic concurrency:
    catalog.records.Versioned)."""

    __table_args__ = (
        UniqueConstraint("event_id", "enterprise_id"),
        UniqueConstraint("event_id", "provider_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    side: str  # Side
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id")
    provider_id: int | None = Field(default=None, foreign_key="provider.id")
    sessions: list[int] = _json()  # indexes into Event.sessions it attends
    need_ids: list[int] = _json()
    solution_ids: list[int] = _json()
    representatives: int = 1
    max_meetings: int | None = None  # overrides the event's cap for its side
    validated: bool = False
    # The enterprise (or provider) registered itself or confirmed a registration made for it:
    # only then do the providers at the event see its needs among their leads.
    consented: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class MeetingRequest(SQLModel, table=True):
    """A request from one participant to meet another."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    from_id: int = Field(foreign_key="eventparticipant.id", index=True)
    to_id: int = Field(foreign_key="eventparticipant.id", index=True)
    message: str = ""
    preference: str = Preference.WISH
    status: str = Field(default=RequestStatus.PENDING, index=True)
    score: float | None = None  # match score (0…1) of the pair
    reason: str = ""  # why the pair was proposed
    solution_id: int | None = Field(default=None, foreign_key="solution.id")
    need_id: int | None = Field(default=None, foreign_key="need.id")
    created_at: datetime = Field(default_factory=utcnow)
    responded_at: datetime | None = None


class Meeting(Versioned, SQLModel, table=True):
    """A scheduled meeting: a request in a slot at a table, then each side's outcome
    (optimistic concurrency: catalog.records.Versioned)."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    request_id: int = Field(foreign_key="meetingrequest.id", unique=True)
    slot: int
    table_no: int
    published: bool = False
    enterprise_outcome: str | None = None
    enterprise_comment: str = ""
    provider_outcome: str | None = None
    provider_comment: str = ""
    engagement_id: int | None = Field(default=None, foreign_key="engagement.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


@dataclass(frozen=True)
class SlotTime:
    """One time slot of an event: id 1…N, its session index, start and end."""

    id: int
    session: int
    session_name: str
    start: time
    end: time

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def event_slots(sessions: list[dict[str, Any]]) -> list[SlotTime]:
    """The time slots of an event's sessions, in order (breaks skipped)."""
    out: list[SlotTime] = []
    for index, spec in enumerate(sessions):
        hour, minute = (int(x) for x in str(spec.get("start", "09:00")).split(":"))
        moment = datetime(2000, 1, 1, hour, minute)
        length = timedelta(minutes=int(spec.get("slot_minutes", 20)))
        pause = timedelta(minutes=int(spec.get("break_minutes", 0)))
        breaks = {int(b) for b in spec.get("break_after", [])}
        for k in range(1, int(spec.get("slots", 0)) + 1):
            out.append(SlotTime(len(out) + 1, index, str(spec.get("name", "")),
                                moment.time(), (moment + length).time()))
            moment += length + (pause if k in breaks else timedelta())
    return out


# --- input schemas ---------------------------------------------------------------------


# Where a session given without a start begins: a morning at 09:00, an afternoon at 14:00,
# any other at 09:00.
SESSION_STARTS = {"上午": "09:00", "下午": "14:00"}
DEFAULT_START = "09:00"


class SessionSpec(BaseModel):
    """One session of an event: its slots of equal length, with breaks after some of them.
    A field left out or blank takes its default (the start: by the session's name)."""

    name: str = PydanticField(default="", max_length=20)
    start: str = PydanticField(default=DEFAULT_START, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    slot_minutes: int = PydanticField(default=20, ge=10, le=60)
    slots: int = PydanticField(default=6, ge=1, le=24)
    break_after: list[int] = PydanticField(default_factory=list, max_length=24)
    break_minutes: int = PydanticField(default=0, ge=0, le=120)

    @model_validator(mode="before")
    @classmethod
    def _defaults_for_blanks(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        given = {k: v for k, v in data.items() if v is not None and v != ""}
        if "start" not in given:
            given["start"] = SESSION_STARTS.get(str(given.get("name", "")).strip(), DEFAULT_START)
        return given


class EventCreate(Input):
    """A new event, in 草稿: its region says which bureau manages it."""

    title: Name
    industry: OptCode = None
    region: Region
    place: Place = ""
    day: date | None = None
    sessions: Annotated[list[SessionSpec], at_most(6, "场次")] = Field(default_factory=list)
    tables: int = Field(default=10, ge=1, le=500)
    request_deadline: datetime | None = None
    max_meetings_enterprise: int = Field(default=6, ge=1, le=100)
    max_meetings_provider: int = Field(default=12, ge=1, le=200)
    auto_accept: bool = False


class EventUpdate(Input):
    title: Name | None = None
    industry: OptCode = None
    region: Region | None = None
    place: Place | None = None
    day: date | None = None
    sessions: Annotated[list[SessionSpec] | None, at_most(6, "场次")] = None
    tables: int | None = Field(default=None, ge=1, le=500)
    request_deadline: datetime | None = None
    max_meetings_enterprise: int | None = Field(default=None, ge=1, le=100)
    max_meetings_provider: int | None = Field(default=None, ge=1, le=200)
    auto_accept: bool | None = None


class ParticipantCreate(Input):
    enterprise_id: RecordRef | None = None
    provider_id: RecordRef | None = None
    sessions: Annotated[list[int] | None, at_most(6, "场次")] = None  # None: every session
    need_ids: Annotated[list[int], at_most(EVENT_ITEMS, "需求")] = Field(default_factory=list)
    solution_ids: Annotated[list[int], at_most(EVENT_ITEMS, "产品")] = Field(default_factory=list)
    representatives: int = Field(default=1, ge=1, le=5)
