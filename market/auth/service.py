"""Login, logout and password change."""

from __future__ import annotations

from functools import cache

from sqlmodel import Session, select

from catalog.users.models import User
from market.auth import ratelimit
from market.auth.sessions import end_all_sessions, end_session, start_session
from market.errors import NotAuthenticated

BAD_CREDENTIALS = "用户名或密码错误"


def _users():  # type: ignore[no-untyped-def]
    from catalog.users import (
        service as catalog_users,  # imported late: written alongside this module
    )

    return catalog_users


@cache
def _dummy_hash() -> str:
    return _users().hash_password("不存在的用户-占位密码")


def authenticate(*, session: Session, username: str, password: str, address: str) -> User:
    """Check a username/password pair, rate-limited per account and address; records the attempt."""
    username = username.strip()
    ratelimit.check_login_allowed(session=session, username=username, address=address)
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        _users().verify_password(_dummy_hash(), password)  # same cost as a real check
        ok = False
    else:
        ok = user.active and _users().verify_password(user.password_hash, password)
    engine = session.get_bind()
    ratelimit.record_attempt(engine=engine, username=username, address=address, success=ok)  # type: ignore[arg-type]
    if not ok or user is None:
        raise NotAuthenticated("bad_credentials", BAD_CREDENTIALS)
    _users().refresh_hash(session=session, user=user, password=password)  # after the attempt is on record
    return user


def login(*, session: Session, username: str, password: str, address: str, hours: int = 8) -> tuple[User, str]:
    """Log in: returns the user and a new session token for the cookie."""
    user = authenticate(session=session, username=username, password=password, address=address)
    _, token = start_session(session=session, user=user, hours=hours, address=address)
    return user, token


def logout(*, session: Session, token: str) -> None:
    """End the login session behind a cookie token."""
    end_session(session=session, token=token)


def change_password(
    *, session: Session, user: User, old_password: str, new_password: str, keep_session_id: int | None = None
) -> None:
    """Change a password (`catalog.users.service.change_own_password`: the old one checked, the
    new one's rules); ends the user's other sessions and tokens."""
    _users().change_own_password(session=session, user=user, old_password=old_password, new_password=new_password)
    end_all_sessions(session=session, user=user, keep_id=keep_session_id)
