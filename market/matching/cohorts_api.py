"""JSON API: start a cohort match as a background job, and read any job's progress.

`POST /api/cohorts/match` (a bureau, within its regions) enqueues the job and answers 202
with its id; the job starts after the request's commit. `GET /api/jobs/{id}` gives its
status, done/total, and the result once finished — to the user who started it and to
bureaus whose regions cover the job's scope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response

from market import jobs
from market.deps import BureauUser, CurrentUser, SessionDep
from market.errors import error_responses
from market.matching.cohort_job import CohortMatchRequest, start_cohort_job
from market.permissions.declared import BUREAU, requires
from market.web.api_common import READ_ERRORS, RecordId

router = APIRouter(tags=["供需匹配"])


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
    return jobs.state_of(jobs.readable(session, user, job_id), include_result=include_result)
