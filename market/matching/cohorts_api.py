"""JSON API: start a cohort match as a background job, and read any job's progress.

`POST /api/cohorts/match` (a bureau, within its regions) enqueues the job and answers 202
with its id; the job starts after the request's commit. `GET /api/jobs/{id}` gives its
status, done/total, and the result once finished — to the user who started it and to
bureaus whose regions cover the job's scope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from catalog import access
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises import queries as enterprise_queries
from catalog.errors import NotFound, ValidationFailed
from catalog.users.models import User
from catalog.users.service import actor_of
from market import jobs
from market.deps import BureauUser, CurrentUser, SessionDep
from market.errors import error_responses
from market.matching.cohort_job import KIND, scope_of
from market.models import Job, JobStatus
from market.permissions.declared import BUREAU, requires
from market.web.api_common import READ_ERRORS, RecordId

router = APIRouter(tags=["供需匹配"])


class CohortMatchRequest(BaseModel):
    """Which enterprises to match: all of the bureau's regions unless narrowed."""

    batch: int | None = Field(default=None, ge=1, le=1000, description="试点批次")
    industry: str | None = Field(default=None, max_length=60, description="行业（代码、名称或简称）")
    region: str | None = Field(default=None, max_length=100, description="地区（须在本辖区内，如 江西省九江市）")


def job_params(user: User, body: CohortMatchRequest) -> dict[str, Any]:
    """The job's parameters, with the region scope resolved against the bureau's regions."""
    region = (body.region or "").strip()
    regions = enterprise_rules.cohort_regions(user, region)
    industry = (body.industry or "").strip() or None
    return {"regions": regions, "region": region or None, "batch": body.batch,
            "industry": industry, "industry_codes": enterprise_queries.industry_codes(industry)}


def start_cohort_job(*, session: Session, user: User, body: CohortMatchRequest) -> Job:
    """Enqueue a cohort match for the bureau's scope (flushed; run it after the commit)."""
    params = job_params(user, body)
    if enterprise_queries.cohort_size(session=session, scope=scope_of(params)) == 0:
        raise ValidationFailed("empty_cohort", "没有符合条件的试点企业，请调整批次、行业或地区")
    return jobs.enqueue(session=session, kind=KIND, params=params, created_by=actor_of(user))


def can_read_job(user: User | None, job: Job) -> bool:
    """The job's creator, or a bureau whose regions cover every region of the job's scope."""
    mine = user is not None and job.created_by == actor_of(user)
    return access.can_read_job(user, created_by_user=mine, regions=jobs.params_of(job).get("regions") or [])


def load_job(session: Session, user: User | None, job_id: int) -> Job:
    """The job if `user` may read it; NotFound otherwise (existence is not revealed)."""
    job = session.get(Job, job_id)
    if job is None or not can_read_job(user, job):
        raise NotFound("job_not_found", f"未找到编号为 {job_id} 的任务")
    return job


def job_json(job: Job, *, include_result: bool = True) -> dict[str, Any]:
    """A job's state for the API: status, progress, parameters, and result or error."""
    percent = 100 if job.status == JobStatus.DONE else (
        int(job.done * 100 / job.total) if job.total else 0)
    data: dict[str, Any] = {
        "id": job.id, "kind": job.kind, "status": job.status, "done": job.done, "total": job.total,
        "percent": min(percent, 100), "params": jobs.params_of(job), "error": job.error,
        "created_by": job.created_by, "created_at": job.created_at, "updated_at": job.updated_at,
        "result": None,
    }
    if include_result and job.status == JobStatus.DONE:
        data["result"] = {k: v for k, v in (job.result or {}).items() if k != "params"}
    return data


@router.post("/api/cohorts/match", status_code=202,
             responses=error_responses(401, 403, 422, 503),
             summary="发起批量匹配（后台任务）：辖区内企业的推荐、按容量分配与缺口报告", openapi_extra=requires(BUREAU))
def start_cohort_match(request: Request, response: Response, session: SessionDep, user: BureauUser,
                       body: CohortMatchRequest, background: BackgroundTasks) -> dict[str, Any]:
    job = start_cohort_job(session=session, user=user, body=body)
    background.add_task(jobs.kick, request.app.state.database_url)  # runs after the commit
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return {"job_id": job.id, "status": job.status, "url": f"/api/jobs/{job.id}"}


@router.get("/api/jobs/{job_id}", responses=READ_ERRORS, summary="后台任务的状态、进度与结果",
            openapi_extra=requires(BUREAU))
def read_job(session: SessionDep, user: CurrentUser, job_id: RecordId,
             include_result: Annotated[bool, Query(description="完成后是否附带完整结果")] = True
             ) -> dict[str, Any]:
    return job_json(load_job(session, user, job_id), include_result=include_result)
