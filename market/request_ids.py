"""Request ids, and the last word on a bug: no exception leaves the app.

Every HTTP request gets an id: on the response (X-Request-ID), on `request.state.request_id`
and in `current_request_id()` while it runs. An exception that no handler of market/error_handlers.py answered is a bug: it
is logged once with its traceback and the request id, and answered with the Chinese 500 page
(or the API's JSON error) that shows the same id, so a user can quote it and the log line can
be found. It is not re-raised: a server that sees an exception after the response started
drops the connection, and the browser would show a reset instead of the page.

This is not a catch-all that hides errors: business errors keep their own status and handler
(they never reach here), and every bug that does is logged at ERROR.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("market.errors")
HEADER = b"x-request-id"
_current: ContextVar[str] = ContextVar("request_id", default="-")
_INCOMING = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    """The id of the request being handled ("-" outside a request)."""
    return _current.get()


def _request_id(scope: Scope) -> str:
    """The id a proxy in front already gave the request (when well formed), else a new one."""
    given = dict(scope.get("headers", [])).get(HEADER, b"").decode("latin-1")
    return given if _INCOMING.match(given) else uuid.uuid4().hex[:16]


BugAnswer = Callable[[Request, str], Response]


class RequestIds:
    """ASGI middleware: an id per request; an unanswered exception becomes a logged 500,
    answered by `answer_bug(request, request_id)` (market.error_handlers.unexpected_response:
    passed in by the app, so this module stays below the error pages)."""

    def __init__(self, app: ASGIApp, answer_bug: BugAnswer) -> None:
        self.app = app
        self.answer_bug = answer_bug

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        token = _current.set(request_id)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), (HEADER, request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:  # a bug: logged with its id, answered in Chinese, never re-raised
            log.error("unexpected error on %s %s [request id %s]", scope.get("method"), scope.get("path"),
                      request_id, exc_info=exc)
            if started:  # the status line is gone: end the body so the connection stays sane
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            response = self.answer_bug(Request(scope, receive), request_id)
            await response(scope, receive, send_with_id)
        finally:
            _current.reset(token)
