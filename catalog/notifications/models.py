"""站内消息: one message to one user, stored with the record it is about and when it was read."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from catalog.records import utcnow


class NoticeKind:
    """What a message is about (stored as text; the page shows the Chinese label)."""

    REVIEW_OUTCOME = "review_outcome"
    TO_REVIEW = "to_review"
    LEAD_ANSWER = "lead_answer"
    MEETING_REQUEST = "meeting_request"
    MEETING_REPLY = "meeting_reply"
    SCHEDULE = "schedule"
    CONTACT = "contact"


KIND_LABELS: dict[str, str] = {
    NoticeKind.REVIEW_OUTCOME: "审核结果",
    NoticeKind.TO_REVIEW: "待审核",
    NoticeKind.LEAD_ANSWER: "服务商联系",
    NoticeKind.MEETING_REQUEST: "约见申请",
    NoticeKind.MEETING_REPLY: "约见回复",
    NoticeKind.SCHEDULE: "日程变更",
    NoticeKind.CONTACT: "申请对接",
}


class Notification(SQLModel, table=True):
    """One message in one user's inbox; `read_at` is set when the user reads it."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(index=True)
    title: str
    body: str = ""
    link: str = ""  # a page of this site the message is about ("" for none)
    record_type: str = ""
    record_key: str = ""
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = Field(default=None, index=True)
