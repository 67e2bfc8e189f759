"""JSON API: 站内消息 — the current user's messages, the unread count, marking read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from catalog.notifications import permissions as notification_rules
from catalog.notifications import service as nt
from catalog.notifications.models import KIND_LABELS, Notification
from catalog.users.service import actor_of
from market.deps import CurrentUser, SessionDep
from market.errors import error_responses
from market.permissions.declared import LOGGED_IN, requires
from market.web.api_common import Page, RecordId

router = APIRouter(prefix="/api/notifications", tags=["站内消息"])


class NotificationOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class NotificationsOut(BaseModel):
    data: list[NotificationOut]
    count: int
    unread: int


class Marked(BaseModel):
    marked: int
    unread: int


def notification_out(message: Notification) -> NotificationOut:
    return NotificationOut(id=message.id or 0, kind=message.kind, kind_label=KIND_LABELS.get(message.kind, "消息"),
                           title=message.title, body=message.body, link=message.link,
                           created_at=message.created_at, read_at=message.read_at)


@router.get("", response_model=NotificationsOut, responses=error_responses(401, 422, 503),
            summary="我的消息（最新在前）与未读数", openapi_extra=requires(LOGGED_IN))
def list_notifications(session: SessionDep, user: CurrentUser, page: Page = 1,
                       unread: Annotated[bool, Query(description="只看未读")] = False) -> NotificationsOut:
    rows, total = nt.inbox(session=session, user_id=user.id or 0, unread_only=unread, page=page)
    return NotificationsOut(data=[notification_out(m) for m in rows], count=total,
                            unread=nt.unread_count(session=session, user_id=user.id or 0))


@router.post("/{notification_id}/read", response_model=NotificationOut, responses=error_responses(401, 404, 503),
             summary="标记一条消息为已读", openapi_extra=requires(LOGGED_IN))  # its recipient, of any role
def mark_read(session: SessionDep, user: CurrentUser, notification_id: RecordId) -> NotificationOut:
    message = nt.get_notification(session=session, notification_id=notification_id)
    notification_rules.require_read_notification(user, message)
    return notification_out(nt.mark_read(session=session, message=message, actor=actor_of(user)))


@router.post("/read-all", response_model=Marked, responses=error_responses(401, 503), summary="全部标记为已读",
             openapi_extra=requires(LOGGED_IN))
def mark_all_read(session: SessionDep, user: CurrentUser) -> Marked:
    marked = nt.mark_all_read(session=session, user_id=user.id or 0, actor=actor_of(user))
    return Marked(marked=marked, unread=0)
