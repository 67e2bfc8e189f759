"""Background jobs kept in the database: enqueue, claim, run, report progress.

A job is a `Job` row (market/models.py). The request that needs one enqueues it and
commits; a worker then claims it with a conditional UPDATE (排队中 → 运行中, so two
workers never run the same job; on PostgreSQL the candidate is picked with
SELECT … FOR UPDATE SKIP LOCKED so concurrent workers do not queue on one row), runs the
handler of its kind with the job's parameters, writes progress into the row (throttled),
and stores the result or a Chinese error. Nothing lives in the app process: any worker on
any machine can run or report any job.

Workers: `run_worker` (a thread inside `market serve`), or `kick`, which starts a short
thread that drains the queue (for a single process and for tests). The parameters are
kept under result["params"], and the handler's output is merged beside them.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from catalog import access
from catalog.db import get_engine, session_scope
from catalog.errors import MarketError, NotFound
from catalog.records import utcnow
from catalog.users.models import User
from catalog.users.service import actor_of
from market.models import Job, JobStatus

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# handler(database_url=..., params=..., progress=...) → the result (JSON-able dict)
Handler = Callable[..., dict[str, Any]]

# kind → handler, or "module:function" imported on first use (keeps imports one-way).
KINDS: dict[str, Handler | str] = {
    "cohort_match": "market.matching.cohort_job:run_cohort_job",
    "catalog_import": "market.exchange.import_job:run_import_job",
}
STALE_AFTER = timedelta(minutes=15)
GENERIC_ERROR = "任务执行失败（系统内部错误），请稍后重试；如仍失败请联系平台管理员"


def register_kind(kind: str, handler: Handler | str) -> None:
    """Make `kind` runnable by `handler` (a callable or "module:function")."""
    KINDS[kind] = handler


def _handler(kind: str) -> Handler:
    target = KINDS.get(kind)
    if target is None:
        raise MarketError("unknown_job_kind", f"未知的任务类型：{kind}")
    if isinstance(target, str):
        module, _, name = target.partition(":")
        target = getattr(importlib.import_module(module), name)
        KINDS[kind] = target
    return target  # type: ignore[return-value]


def enqueue(*, session: Session, kind: str, params: dict[str, Any], created_by: str) -> Job:
    """Add a queued job (flushed, not committed: start a worker after the commit)."""
    job = Job(kind=kind, status=JobStatus.QUEUED, result={"params": params}, created_by=created_by)
    session.add(job)
    session.flush()
    return job


def params_of(job: Job) -> dict[str, Any]:
    """The parameters the job was started with."""
    return dict((job.result or {}).get("params") or {})


# --- claiming --------------------------------------------------------------------------


def _candidate(session: Session, kinds: tuple[str, ...] | None) -> int | None:
    statement = select(Job.id).where(col(Job.status) == JobStatus.QUEUED).order_by(col(Job.id)).limit(1)
    if kinds:
        statement = statement.where(col(Job.kind).in_(kinds))
    # FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite renders nothing (one writer at a time anyway).
    return session.exec(statement.with_for_update(skip_locked=True)).first()


def claim(*, database_url: str, job_id: int) -> bool:
    """Mark one queued job as running; False when another worker got there first."""
    with session_scope(database_url) as session:
        return _mark_running(session, job_id)


def _mark_running(session: Session, job_id: int) -> bool:
    statement = (update(Job).where(col(Job.id) == job_id, col(Job.status) == JobStatus.QUEUED)
                 .values(status=JobStatus.RUNNING, updated_at=utcnow()))
    return session.connection().execute(statement).rowcount == 1


def claim_next(*, database_url: str, kinds: tuple[str, ...] | None = None) -> int | None:
    """Claim the oldest queued job (of `kinds`) for this worker; None when none is left."""
    for _ in range(20):  # lost races only: each lost race means another worker took a job
        with session_scope(database_url) as session:
            job_id = _candidate(session, kinds)
            if job_id is None:
                return None
            if _mark_running(session, job_id):
                return job_id
    return None


# --- running ---------------------------------------------------------------------------


class ProgressWriter:
    """Writes (done, total) into the job row at most every `step` of the total or `interval` s."""

    def __init__(self, database_url: str, job_id: int, *, interval: float = 0.5) -> None:
        self.database_url, self.job_id, self.interval = database_url, job_id, interval
        self.last_done, self.last_time = -1, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        step = max(1, total // 100)
        if done < total and done - self.last_done < step and now - self.last_time < self.interval:
            return
        self.last_done, self.last_time = done, now
        statement = (update(Job).where(col(Job.id) == self.job_id)
                     .values(done=done, total=total, updated_at=utcnow()))
        with get_engine(self.database_url).begin() as connection:
            connection.execute(statement)


def _finish(database_url: str, job_id: int, *, result: dict[str, Any] | None = None,
            error: str | None = None) -> None:
    with session_scope(database_url) as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        if error is None:
            job.result = {"params": params_of(job), **(result or {})}
            job.status, job.done = JobStatus.DONE, max(job.done, job.total)
        else:
            job.status, job.error = JobStatus.FAILED, error[:1000]
        job.updated_at = utcnow()
        session.add(job)


def run_job(*, database_url: str, job_id: int) -> None:
    """Run a claimed job by its kind and store its result, or its error in Chinese."""
    with session_scope(database_url) as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        kind, params = job.kind, params_of(job)
    try:
        handler = _handler(kind)
        result = handler(database_url=database_url, params=params,
                         progress=ProgressWriter(database_url, job_id))
    except MarketError as exc:
        _finish(database_url, job_id, error=exc.message_zh)
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        _finish(database_url, job_id, error=GENERIC_ERROR)
    else:
        _finish(database_url, job_id, result=result)


def fail_stale(*, database_url: str, older_than: timedelta = STALE_AFTER) -> int:
    """Mark running jobs without a sign of life for `older_than` as failed (their worker died)."""
    statement = (update(Job).where(col(Job.status) == JobStatus.RUNNING,
                                   col(Job.updated_at) < utcnow() - older_than)
                 .values(status=JobStatus.FAILED, updated_at=utcnow(),
                         error="任务中断：执行它的进程已停止，请重新发起"))
    with get_engine(database_url).begin() as connection:
        return int(connection.execute(statement).rowcount)


def drain(*, database_url: str, kinds: tuple[str, ...] | None = None) -> int:
    """Claim and run queued jobs until none is left; returns how many this call ran."""
    fail_stale(database_url=database_url)
    count = 0
    while (job_id := claim_next(database_url=database_url, kinds=kinds)) is not None:
        run_job(database_url=database_url, job_id=job_id)
        count += 1
    return count


def run_worker(*, database_url: str, stop_event: threading.Event, interval: float = 1.0) -> None:
    """Run queued jobs until `stop_event` is set (for a background thread of `market serve`)."""
    while not stop_event.is_set():
        try:
            drain(database_url=database_url)
        except Exception:  # keep the worker alive: the database may be briefly unreachable
            log.exception("job worker failed, will retry")
        stop_event.wait(interval)


# --- a drainer thread per database, for single-process use ------------------------------

_kick_lock = threading.Lock()
_drained = threading.Condition(_kick_lock)  # notified whenever a drainer stops
_active: set[str] = set()
_pending: set[str] = set()


def kick(database_url: str) -> None:
    """Drain the queue in a background thread (call after the commit that enqueued a job).

    At most one drainer runs per database in this process; a kick while it runs makes it
    look again before it stops, so no job committed before the kick is left behind.
    """
    with _kick_lock:
        _pending.add(database_url)
        if database_url in _active:
            return
        _active.add(database_url)
    threading.Thread(target=_drainer, args=(database_url,), name="job-drainer", daemon=True).start()


def _drainer(database_url: str) -> None:
    try:
        while True:
            with _kick_lock:
                if database_url not in _pending:
                    _active.discard(database_url)
                    _drained.notify_all()
                    return
                _pending.discard(database_url)
            drain(database_url=database_url)
    except Exception:
        log.exception("job drainer stopped")
        with _kick_lock:
            _active.discard(database_url)
            _pending.discard(database_url)
            _drained.notify_all()


def wait_drained(database_url: str, timeout: float = 30.0) -> bool:
    """Wait until no drainer of this process works on `database_url` (before the database
    goes away); False if one still does after `timeout` seconds."""
    with _drained:
        return _drained.wait_for(lambda: database_url not in _active, timeout=timeout)


# --- who reads a job ------------------------------------------------------------------------


def can_read(user: User | None, job: Job) -> bool:
    """The job's creator, or a bureau whose regions cover every region of the job's scope."""
    mine = user is not None and job.created_by == actor_of(user)
    return access.can_read_job(user, created_by_user=mine, regions=params_of(job).get("regions") or [])


def readable(session: Session, user: User | None, job_id: int, *, kind: str | None = None) -> Job:
    """The job (of `kind`, when given) if `user` may read it; NotFound otherwise, in the same
    words whether there is none, it is another kind, or the user may not read it."""
    job = session.get(Job, job_id)
    if job is None or (kind is not None and job.kind != kind) or not can_read(user, job):
        raise NotFound("job_not_found", f"未找到编号为 {job_id} 的任务")
    return job


def state_of(job: Job, *, include_result: bool = True) -> dict[str, Any]:
    """A job's state: status, progress, parameters, and result or error."""
    percent = 100 if job.status == JobStatus.DONE else (int(job.done * 100 / job.total) if job.total else 0)
    data: dict[str, Any] = {
        "id": job.id, "kind": job.kind, "status": job.status, "done": job.done, "total": job.total,
        "percent": min(percent, 100), "params": params_of(job), "error": job.error,
        "created_by": job.created_by, "created_at": job.created_at, "updated_at": job.updated_at,
        "result": None,
    }
    if include_result and job.status == JobStatus.DONE:
        data["result"] = {k: v for k, v in (job.result or {}).items() if k != "params"}
    return data
