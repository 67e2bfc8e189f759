"""Login throttling, counted in the database (so every worker sees the same counts).

Nobody can lock another person out: failures slow down the (account, address) pair that made
them, with a wait that doubles per failure; an address that fails across many accounts is
stopped for a while; and an account attacked from many addresses is closed only to addresses it
has never logged in from (a known-good address still gets through).

The address is the peer the app sees. Behind a reverse proxy, `market serve` takes the client's
address from X-Forwarded-For only when the proxy is listed in MARKET_FORWARDED_ALLOW_IPS
(see README): otherwise anyone could reset the per-address count with a forged header.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from market.errors import RateLimited
from market.models import LoginAttempt

PAIR_FREE_FAILURES = 5  # failures of one account from one address before waits begin
PAIR_FIRST_WAIT = timedelta(minutes=1)  # then doubled per further failure …
PAIR_LONGEST_WAIT = timedelta(minutes=30)  # … up to this
PAIR_WINDOW = timedelta(hours=2)  # failures older than this are forgotten
ADDRESS_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ADDRESS = 20  # across accounts: password spraying from one address
ACCOUNT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 50  # from every address: then only known-good addresses get through
KNOWN_GOOD = timedelta(days=30)  # an address the account logged in from this recently
KEEP_ATTEMPTS = timedelta(days=30)  # kept a while for the record, then pruned


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _failures(session: Session, since: datetime, **where: str) -> tuple[int, datetime | None]:
    """How many failed attempts match `where` since `since`, and when the last one was."""
    conditions = [getattr(LoginAttempt, name) == value for name, value in where.items()]
    stmt = select(func.count(), func.max(LoginAttempt.at)).where(
        *conditions, LoginAttempt.success == False, LoginAttempt.at >= since  # noqa: E712
    )
    count, last = session.exec(stmt).one()
    return int(count), _aware(last)


def _last_success(session: Session, **where: str) -> datetime | None:
    conditions = [getattr(LoginAttempt, name) == value for name, value in where.items()]
    stmt = select(func.max(LoginAttempt.at)).where(*conditions, LoginAttempt.success == True)  # noqa: E712
    return _aware(session.exec(stmt).one())


def pair_wait(failures: int) -> timedelta:
    """How long an (account, address) pair waits after its `failures`-th failure in a row."""
    if failures < PAIR_FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - PAIR_FREE_FAILURES, 10)
    return min(PAIR_FIRST_WAIT * (2 ** doublings), PAIR_LONGEST_WAIT)


def _minutes(wait: timedelta) -> int:
    return max(1, int(-(-wait.total_seconds() // 60)))


def _check_pair(session: Session, username: str, address: str, now: datetime) -> None:
    since = max(now - PAIR_WINDOW, _last_success(session, username=username, address=address) or now - PAIR_WINDOW)
    failures, last = _failures(session, since, username=username, address=address)
    wait = pair_wait(failures)
    if last is not None and wait and now < last + wait:
        raise RateLimited(message=f"该账号在本地址登录失败次数过多，请 {_minutes(last + wait - now)} 分钟后再试")


def _check_address(session: Session, address: str, now: datetime) -> None:
    failures, _ = _failures(session, now - ADDRESS_WINDOW, address=address)
    if failures >= MAX_FAILURES_PER_ADDRESS:
        minutes = _minutes(ADDRESS_WINDOW)
        raise RateLimited(message=f"该地址登录失败次数过多，请 {minutes} 分钟后再试")


def _check_account(session: Session, username: str, address: str, now: datetime) -> None:
    since = max(now - ACCOUNT_WINDOW, _last_success(session, username=username) or now - ACCOUNT_WINDOW)
    failures, _ = _failures(session, since, username=username)
    if failures < MAX_FAILURES_PER_ACCOUNT:
        return
    known = _last_success(session, username=username, address=address)
    if known is None or known < now - KNOWN_GOOD:
        raise RateLimited(message="该账号近期遭遇大量错误登录，暂时只能从曾经登录过的地址登录，"
                                  f"请 {_minutes(ACCOUNT_WINDOW)} 分钟后再试或联系主管部门")


def check_login_allowed(*, session: Session, username: str, address: str, now: datetime | None = None) -> None:
    """Raise RateLimited when this account may not try from this address now."""
    moment = now or datetime.now(UTC)
    _check_pair(session, username, address, moment)
    if address:
        _check_address(session, address, moment)
    _check_account(session, username, address, moment)


def record_attempt(*, engine: Engine, username: str, address: str, success: bool) -> None:
    """Store one attempt in its own transaction, so a failed login's rollback keeps it."""
    with Session(engine) as own:
        own.add(LoginAttempt(username=username, address=address, success=success))
        cutoff = datetime.now(UTC) - KEEP_ATTEMPTS
        own.exec(delete(LoginAttempt).where(col(LoginAttempt.at) < cutoff))  # type: ignore[call-overload]
        own.commit()
