"""Who is asking: a request's user, from its bearer token or its session cookie.

Below both the request dependencies (market/deps.py) and the page renderer
(market/templating.py), which each need the current user.
"""

from __future__ import annotations

from fastapi import Request
from sqlmodel import Session

from catalog.users.models import User
from market.auth.sessions import find_api_token, find_session
from market.errors import NotAuthenticated

SESSION_COOKIE = "szt_session"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or ""


def resolve_user(request: Request, session: Session) -> User | None:
    """Who is asking: a bearer token first, else the session cookie; cached on request.state."""
    if hasattr(request.state, "user"):
        return request.state.user  # type: ignore[no-any-return]
    request.state.login_session = None
    request.state.auth_kind = None
    user: User | None = None
    token = _bearer(request)
    if token is not None:
        found = find_api_token(session=session, token=token) if token else None
        if found is None:
            request.state.user = None
            raise NotAuthenticated("invalid_token", "访问令牌无效或已过期，请重新获取")
        request.state.api_token, user = found
        request.state.auth_kind = "bearer"
    elif cookie := request.cookies.get(SESSION_COOKIE):
        found_session = find_session(session=session, token=cookie)
        if found_session is not None:
            request.state.login_session, user = found_session
            request.state.auth_kind = "cookie"
    request.state.user = user
    return user
