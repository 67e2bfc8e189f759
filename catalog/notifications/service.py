"""站内消息: `notify` stores one message per recipient; readers list, count and mark them read.

Every hook (catalog/notifications/notices.py) calls `notify` with the users it concerns, found by
`users_of_provider`, `users_of_enterprise` or `bureau_users`. Messages are written in the
transaction of the change they tell about, so a rolled-back change leaves no message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from catalog.audit import service as audit
from catalog.errors import NotFound
from catalog.notifications.models import Notification
from catalog.records import utcnow
from catalog.users.models import Role, User

TITLE_CHARS, BODY_CHARS, LINK_CHARS = 200, 1_000, 300
PAGE_SIZE = 50


def notify(*, session: Session, user_ids: Iterable[int], kind: str, title: str, body: str = "",
           link: str = "", record_type: str = "", record_key: str = "",
           skip: Iterable[int] = ()) -> list[Notification]:
    """Store one unread message per recipient (each user once; `skip` for the actor); flushes."""
    skipped = set(skip)
    recipients = [uid for uid in dict.fromkeys(user_ids) if uid not in skipped]
    messages = [Notification(user_id=uid, kind=kind, title=title[:TITLE_CHARS], body=body[:BODY_CHARS],
                             link=link[:LINK_CHARS], record_type=record_type, record_key=str(record_key))
                for uid in recipients]
    if messages:
        session.add_all(messages)
        session.flush()
    return messages


def _active(statement: Any) -> Any:
    return statement.where(col(User.active).is_(True))


def users_of_provider(*, session: Session, provider_id: int | None) -> list[int]:
    """The active accounts that speak for a provider."""
    if provider_id is None:
        return []
    rows = session.exec(_active(select(User.id).where(User.provider_id == provider_id, User.role == Role.PROVIDER)))
    return [int(i) for i in rows if i is not None]


def users_of_enterprise(*, session: Session, enterprise_id: int | None) -> list[int]:
    """The active accounts of an enterprise (its own users and, for a chain leader, the leader's)."""
    if enterprise_id is None:
        return []
    rows = session.exec(_active(select(User.id).where(User.enterprise_id == enterprise_id)))
    return [int(i) for i in rows if i is not None]


def bureau_users(*, session: Session, concerns: Any) -> list[int]:
    """The active bureau accounts for which `concerns(regions)` is true (their regions decide)."""
    rows = session.exec(_active(select(User).where(User.role == Role.BUREAU)))
    return [int(u.id) for u in rows if u.id is not None and concerns(list(u.regions or []))]


def in_region(region: str | None) -> Any:
    """A `concerns` test: the bureau administers `region` (one of its regions is a prefix)."""
    return lambda regions: bool(region) and any(str(region).startswith(r) for r in regions if r)


# --- reading -------------------------------------------------------------------------------


def unread_count(*, session: Session, user_id: int) -> int:
    """How many of the user's messages are unread."""
    statement = select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, col(Notification.read_at).is_(None))
    return int(session.exec(statement).one())


def inbox(*, session: Session, user_id: int, unread_only: bool = False, page: int = 1,
          per_page: int = PAGE_SIZE) -> tuple[list[Notification], int]:
    """One page of the user's messages, newest first, and how many there are in all."""
    where: list[Any] = [Notification.user_id == user_id]
    if unread_only:
        where.append(col(Notification.read_at).is_(None))
    total = int(session.exec(select(func.count()).select_from(Notification).where(*where)).one())
    rows = session.exec(select(Notification).where(*where)
                        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def get_notification(*, session: Session, notification_id: int) -> Notification:
    """The message with this id, or NotFound (who may read it: catalog/notifications/permissions.py)."""
    found = session.get(Notification, notification_id)
    if found is None:
        raise NotFound("notification_not_found", f"未找到编号为 {notification_id} 的消息")
    return found


def mark_read(*, session: Session, message: Notification, actor: str) -> Notification:
    """Mark one message read (already read: unchanged); audited."""
    if message.read_at is None:
        message.read_at = utcnow()
        session.add(message)
        audit.append(session=session, actor=actor, action="read", record_type="notification",
                     record_key=str(message.id), before={"read": False}, after={"read": True})
        session.flush()
    return message


def mark_all_read(*, session: Session, user_id: int, actor: str) -> int:
    """Mark every unread message of the user read; returns how many (audited as one entry)."""
    count = unread_count(session=session, user_id=user_id)
    if count:
        session.execute(update(Notification).where(
            col(Notification.user_id) == user_id, col(Notification.read_at).is_(None)).values(read_at=utcnow()))
        audit.append(session=session, actor=actor, action="read_all", record_type="notification",
                     record_key=f"user:{user_id}", before={"unread": count}, after={"unread": 0})
        session.flush()
    return count
