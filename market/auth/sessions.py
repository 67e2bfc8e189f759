"""Login sessions (cookie) and API tokens (bearer), both kept in the database by hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete, select

from catalog.users.models import User
from market.auth.tokens import hash_token, new_token
from market.models import ApiToken, LoginSession

API_TOKEN_DAYS = 30


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_session(*, session: Session, user: User, hours: int, address: str = "") -> tuple[LoginSession, str]:
    """Open a login session for `user`; returns the row and the cookie token (shown once)."""
    now = datetime.now(UTC)
    session.exec(delete(LoginSession).where(col(LoginSession.user_id) == user.id,  # the user's stale ones
                                            col(LoginSession.expires_at) <= now))
    token = new_token()
    row = LoginSession(
        token_hash=hash_token(token),
        user_id=user.id or 0,
        csrf_token=new_token(),
        address=address,
        expires_at=datetime.now(UTC) + timedelta(hours=hours),
    )
    session.add(row)
    session.flush()
    return row, token


def find_session(*, session: Session, token: str) -> tuple[LoginSession, User] | None:
    """The live login session and its active user for a cookie token, or None."""
    row = session.exec(select(LoginSession).where(LoginSession.token_hash == hash_token(token))).first()
    if row is None or _aware(row.expires_at) <= datetime.now(UTC):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return row, user


def end_session(*, session: Session, token: str) -> None:
    """Delete the login session of a cookie token (logout)."""
    session.exec(delete(LoginSession).where(col(LoginSession.token_hash) == hash_token(token)))
    session.flush()


def end_all_sessions(*, session: Session, user: User, keep_id: int | None = None) -> None:
    """Delete every login session of `user` except `keep_id` and revoke its API tokens."""
    stmt = delete(LoginSession).where(col(LoginSession.user_id) == user.id)
    if keep_id is not None:
        stmt = stmt.where(col(LoginSession.id) != keep_id)
    session.exec(stmt)
    now = datetime.now(UTC)
    for token in session.exec(select(ApiToken).where(ApiToken.user_id == user.id, col(ApiToken.revoked_at).is_(None))):
        token.revoked_at = now
    session.flush()


def issue_api_token(*, session: Session, user: User, name: str = "", days: int = API_TOKEN_DAYS) -> tuple[ApiToken, str]:
    """A new bearer token for `user`; returns the row and the token (shown once)."""
    token = new_token()
    row = ApiToken(
        token_hash=hash_token(token),
        user_id=user.id or 0,
        name=name,
        expires_at=datetime.now(UTC) + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    return row, token


def find_api_token(*, session: Session, token: str) -> tuple[ApiToken, User] | None:
    """The live API token row and its active user, or None."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= datetime.now(UTC):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return row, user


def revoke_api_token(*, session: Session, token: str) -> bool:
    """Revoke a bearer token; False when it was unknown or already revoked."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = datetime.now(UTC)
    session.flush()
    return True
