"""Login rate limiting per account and per address, counted in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from market.errors import RateLimited
from market.models import LoginAttempt

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
KEEP_ATTEMPTS = timedelta(days=30)  # kept a while for the record, then pruned


def _failures(session: Session, column: object, value: str, since: datetime) -> int:
    stmt = select(func.count()).select_from(LoginAttempt).where(
        column == value, LoginAttempt.success == False, LoginAttempt.at >= since  # noqa: E712
    )
    return int(session.exec(stmt).one())


def _last_success(session: Session, username: str) -> datetime | None:
    stmt = select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.success == True  # noqa: E712
    )
    value = session.exec(stmt).one()
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def check_login_allowed(*, session: Session, username: str, address: str) -> None:
    """Raise RateLimited when the account or the address failed too often in the window."""
    since = datetime.now(UTC) - WINDOW
    minutes = int(WINDOW.total_seconds() // 60)
    account_since = max(since, _last_success(session, username) or since)
    if _failures(session, LoginAttempt.username, username, account_since) >= MAX_FAILURES_PER_ACCOUNT:
        raise RateLimited(message=f"该账号登录失败次数过多，请 {minutes} 分钟后再试")
    if address and _failures(session, LoginAttempt.address, address, since) >= MAX_FAILURES_PER_ADDRESS:
        raise RateLimited(message=f"该地址登录失败次数过多，请 {minutes} 分钟后再试")


def record_attempt(*, engine: Engine, username: str, address: str, success: bool) -> None:
    """Store one attempt in its own transaction, so a failed login's rollback keeps it."""
    with Session(engine) as own:
        own.add(LoginAttempt(username=username, address=address, success=success))
        cutoff = datetime.now(UTC) - KEEP_ATTEMPTS
        own.exec(delete(LoginAttempt).where(col(LoginAttempt.at) < cutoff))  # type: ignore[call-overload]
        own.commit()
