"""站内消息 pages: the inbox (newest first, unread marked), opening one (marks it read and goes
where it points), and marking all read. The header shows the unread count (market/templating.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from catalog.notifications import permissions as notification_rules
from catalog.notifications import service as nt
from catalog.notifications.models import KIND_LABELS
from catalog.users.service import actor_of
from market.deps import CsrfProtected, CurrentUser, SessionDep
from market.permissions.declared import LOGGED_IN, requires
from market.templating import render
from market.web.page_common import Page, flash_redirect, parse_int, redirect, safe_next

router = APIRouter(include_in_schema=False)

INBOX = "/messages"


@router.get(INBOX, response_class=HTMLResponse, openapi_extra=requires(LOGGED_IN))
def inbox(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    """The user's messages, newest first; unread ones stand out until opened."""
    page = max(1, parse_int(request.query_params.get("page"), 1) or 1)
    unread_only = request.query_params.get("unread") == "1"
    rows, total = nt.inbox(session=session, user_id=user.id or 0, unread_only=unread_only, page=page)
    context = {"page": Page(items=rows, total=total, page=page, per_page=nt.PAGE_SIZE), "labels": KIND_LABELS,
               "unread_only": unread_only}
    return render(request, "messages/list.html", context)


@router.post(INBOX + "/{notification_id}/open", openapi_extra=requires(LOGGED_IN))
def open_message(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                 notification_id: int) -> Response:
    """Mark one message read and go to the page it is about."""
    message = nt.get_notification(session=session, notification_id=notification_id)
    notification_rules.require_read_notification(user, message)
    nt.mark_read(session=session, message=message, actor=actor_of(user))
    return redirect(safe_next(message.link, INBOX))


@router.post(INBOX + "/read-all", openapi_extra=requires(LOGGED_IN))
def read_all(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected) -> Response:
    """Mark every unread message read."""
    count = nt.mark_all_read(session=session, user_id=user.id or 0, actor=actor_of(user))
    return flash_redirect(request, INBOX, f"已将 {count} 条消息标为已读" if count else "没有未读消息", "info")
