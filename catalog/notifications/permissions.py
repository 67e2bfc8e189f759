"""Who may read 站内消息: a message is read and marked read only by the user it was sent to."""

from __future__ import annotations

from catalog.access import active
from catalog.errors import NotFound
from catalog.notifications.models import Notification
from catalog.users.models import User


def can_read_notification(user: User | None, message: Notification) -> bool:
    """Only the recipient reads (and marks) a message."""
    return active(user) and user is not None and user.id == message.user_id


def require_read_notification(user: User | None, message: Notification) -> None:
    """NotFound unless the message was sent to `user` (another's is not revealed)."""
    if not can_read_notification(user, message):
        raise NotFound("notification_not_found", f"未找到编号为 {message.id} 的消息")
