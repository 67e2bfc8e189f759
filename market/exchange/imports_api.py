"""JSON API: upload a workbook (.xlsx) or JSON file in the exchange format (bureau)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, Response, UploadFile
from pydantic import BaseModel

from catalog.exchange import imports
from catalog.exchange import permissions as exchange_rules
from catalog.users.service import actor_of
from market import jobs
from market.deps import CurrentUser, SessionDep
from market.errors import error_responses
from market.exchange import region_scope
from market.exchange.import_job import start_import_job
from market.permissions.declared import BUREAU, requires

router = APIRouter(prefix="/api/imports", tags=["导入导出"])


class ListCounts(BaseModel):
    created: int
    updated: int
    unchanged: int


class ImportOut(BaseModel):
    """What an accepted import stored. A rejected one answers 422 with every row error in `details`."""

    files: list[str]
    rows: int
    counts: dict[str, ListCounts]
    warnings: list[str]
    duplicates: list[str]
    summary: str


@router.post("", response_model=ImportOut, responses=error_responses(401, 403, 413, 422, 503),
             summary="导入工作簿或 JSON（全部行有效才保存；否则返回每一处行错误）", openapi_extra=requires(BUREAU))
def upload(session: SessionDep, user: CurrentUser, file: UploadFile) -> ImportOut:
    exchange_rules.require_import(user)
    name = Path(file.filename or "upload").name
    imports.require_file_type(name)
    content = file.file.read()
    report = region_scope.import_for(session=session, user=user, filename=name, content=content,
                                     actor=actor_of(user))
    return ImportOut(
        files=report.files or [name], rows=report.rows,
        counts={k: ListCounts(**v) for k, v in report.counts.items()},
        warnings=report.warnings, duplicates=report.duplicates, summary=report.summary_zh(),
    )


@router.post("/jobs", status_code=202, responses=error_responses(401, 403, 413, 422, 503),
             summary="导入工作簿或 JSON（后台任务）：立即返回任务编号，GET /api/jobs/{id} 查看进度与结果", openapi_extra=requires(BUREAU))
def upload_as_job(request: Request, response: Response, session: SessionDep, user: CurrentUser, file: UploadFile,
                  background: BackgroundTasks) -> dict[str, Any]:
    exchange_rules.require_import(user)
    name = Path(file.filename or "upload").name
    imports.require_file_type(name)
    job = start_import_job(session=session, user=user, filename=name, content=file.file.read(),
                           var_dir=request.app.state.settings.var_dir)
    background.add_task(jobs.kick, request.app.state.database_url)  # runs after the commit
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return {"job_id": job.id, "status": job.status, "url": f"/api/jobs/{job.id}"}
