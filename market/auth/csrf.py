"""CSRF tokens: bound to the login session, or to a signed cookie before login."""

from __future__ import annotations

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

from market.auth.tokens import new_token, same, secret_key

CSRF_COOKIE = "szt_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def _serializer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key(request.app.state.settings), salt="csrf")


def _anonymous_token(request: Request) -> str | None:
    raw = request.cookies.get(CSRF_COOKIE)
    if not raw:
        return None
    try:
        value = _serializer(request).loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def csrf_token(request: Request) -> str:
    """The token forms must carry: the login session's, else the anonymous cookie's (made if absent)."""
    login_session = getattr(request.state, "login_session", None)
    if login_session is not None:
        return str(login_session.csrf_token)
    token = _anonymous_token(request) or getattr(request.state, "new_csrf_token", None)
    if token is None:
        token = new_token()
        request.state.new_csrf_token = token
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Send the anonymous CSRF cookie when this request made a new token."""
    token = getattr(request.state, "new_csrf_token", None)
    if token is not None:
        response.set_cookie(
            CSRF_COOKIE, _serializer(request).dumps(token), httponly=True, samesite="lax",
            secure=request.url.scheme == "https", path="/",
        )


def expected_token(request: Request) -> str | None:
    """The token a submitted form must match, or None when the client has none."""
    login_session = getattr(request.state, "login_session", None)
    if login_session is not None:
        return str(login_session.csrf_token)
    return _anonymous_token(request)


def token_matches(request: Request, submitted: str | None) -> bool:
    """True when `submitted` is the token bound to this client."""
    expected = expected_token(request)
    return bool(expected and submitted and same(expected, submitted))
