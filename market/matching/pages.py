"""Matching pages: an enterprise's shortlist per need with a "why this score" breakdown,
its bundle with the cost/subsidy split, and the bureau's cohort page: it starts a cohort
match as a background job, follows its progress (market/static/cohort.js polls the job),
then shows the stored allocation and gap report, exportable to xlsx."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from catalog.enterprises import service as enterprise_service
from catalog.errors import MarketError, NotFound
from catalog.users.models import User
from catalog.xlsx_writer import Book
from market import jobs
from market.deps import BureauUser, CsrfProtected, EnterpriseUser, SessionDep
from market.matching.cohort_job import KIND, CohortMatchRequest, recent_jobs, start_cohort_job
from market.matching.shortlists import bundle_of, shortlists_of
from market.models import Job, JobStatus
from market.permissions.declared import BUREAU, ENTERPRISES, requires
from market.templating import render
from market.web.forms import FormDep, text, validate
from market.web.page_common import Page, flash_redirect, redirect
from matching.context import MatchContext

router = APIRouter(include_in_schema=False)


def _solution(ctx: MatchContext, solution_id: str) -> Any:
    return ctx.solutions[ctx.position[solution_id]]


@router.get("/enterprise/matches", response_class=HTMLResponse, openapi_extra=requires(ENTERPRISES))
def matches_page(request: Request, session: SessionDep, user: EnterpriseUser) -> HTMLResponse:
    """The shortlist for each need, every score explained."""
    enterprise = enterprise_service.enterprise_of(session=session, user=user)
    outside = request.query_params.get("outside") == "1"
    found = shortlists_of(session=session, user=user, enterprise=enterprise, outside=outside)
    ctx = found.ctx
    return render(request, "matching/matches.html", {
        "enterprise": enterprise, "rows": found.rows, "solution": lambda sid: _solution(ctx, sid),
        "provider": lambda pid: ctx.provider(pid), "policy": found.policy, "outside": outside,
    })


@router.get("/enterprise/bundle", response_class=HTMLResponse, openapi_extra=requires(ENTERPRISES))
def bundle_page(request: Request, session: SessionDep, user: EnterpriseUser) -> HTMLResponse:
    """The proposed bundle within budget: total price, subsidy under the city's policy, net cost."""
    enterprise = enterprise_service.enterprise_of(session=session, user=user)
    bundle, needs, ctx = bundle_of(session=session, user=user, enterprise=enterprise)
    return render(request, "matching/bundle.html", {
        "enterprise": enterprise, "bundle": bundle, "needs": {str(n.id): n for n in needs},
        "solution": lambda sid: _solution(ctx, sid), "provider": lambda pid: ctx.provider(pid),
    })


ENTERPRISES_PER_PAGE = 30
BEIJING = timedelta(hours=8)  # the pages show times in 北京时间


def _my_jobs(session: Session, user: User) -> list[dict[str, Any]]:
    return [{"id": job.id, "status": job.status, "time": (job.created_at + BEIJING).strftime("%Y-%m-%d %H:%M")}
            for job in recent_jobs(session=session, user=user)]


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _cohort_job(session: Session, user: Any, request: Request) -> Job | None:
    job_id = _int_param(request, "job")
    if job_id is None:
        return None
    return jobs.readable(session, user, job_id, kind=KIND)


@router.get("/bureau/cohort", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def cohort_page(request: Request, session: SessionDep, user: BureauUser) -> HTMLResponse:
    """Start a cohort match; follow a job's progress; show its allocation and gap report."""
    job = _cohort_job(session, user, request)
    context: dict[str, Any] = {"job": job, "regions": [r for r in user.regions if r],
                               "recent": _my_jobs(session, user)}
    if job is not None:
        context["state"] = jobs.state_of(job, include_result=False)
        result = (job.result or {}) if job.status == JobStatus.DONE else {}
        rows = result.get("enterprises") or []
        page = max(1, _int_param(request, "page") or 1)
        page = min(page, max(1, -(-len(rows) // ENTERPRISES_PER_PAGE)))
        start = (page - 1) * ENTERPRISES_PER_PAGE
        context.update(result=result, page=Page(items=rows[start:start + ENTERPRISES_PER_PAGE],
                                                total=len(rows), page=page, per_page=ENTERPRISES_PER_PAGE))
    return render(request, "matching/cohort.html", context)


@router.post("/bureau/cohort", openapi_extra=requires(BUREAU))
def cohort_start(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                 form: FormDep, background: BackgroundTasks) -> Response:
    """Start a cohort match from the form; the job runs after this request's commit."""
    body, errors = validate(CohortMatchRequest, {"batch": text(form, "batch") or None,
                                                 "industry": text(form, "industry") or None,
                                                 "region": text(form, "region") or None})
    if body is None:
        labels = {"batch": "试点批次", "industry": "行业", "region": "地区"}
        return flash_redirect(request, "/bureau/cohort", "；".join(f"{labels.get(f, f)}：{m}" for f, m in errors.items()),
                              "error")
    try:
        job = start_cohort_job(session=session, user=user, body=body)
    except MarketError as error:
        return flash_redirect(request, "/bureau/cohort", error.message_zh, "error")
    background.add_task(jobs.kick, request.app.state.database_url)
    return redirect(f"/bureau/cohort?job={job.id}")


def _need_rows(result: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for ent in result.get("enterprises") or []:
        for need in ent["needs"]:
            best = need["recommended"]
            rows.append([
                ent["name"], ent["region"], need["text"],
                best["solution_name"] if best else "（未分配）", best["provider_name"] if best else "",
                best["score"] if best else None,
                "；".join(f"{a['solution_name']}（{a['provider_name']}）" for a in need["alternatives"]),
            ])
    return rows


@router.get("/bureau/cohort.xlsx", openapi_extra=requires(BUREAU))
def cohort_export(request: Request, session: SessionDep, user: BureauUser) -> Response:
    """A finished job's allocation, provider loads and gap report as a workbook."""
    job = _cohort_job(session, user, request)
    if job is None or job.status != JobStatus.DONE:
        raise NotFound("job_not_done", "请先完成一次批量匹配，再导出结果")
    result = job.result or {}
    book = Book()
    sheet = book.sheet("分配建议")
    sheet.append(["企业", "地区", "需求", "推荐产品", "服务商", "匹配度", "备选"])
    for row in _need_rows(result):
        sheet.append(row)
    loads = book.sheet("服务商负载")
    loads.append(["服务商", "分配企业数", "容量"])
    for p in result.get("providers") or []:
        loads.append([p["name"], p["enterprises"], p["capacity"]])
    gaps = book.sheet("缺口报告")
    gaps.append(["场景", "行业", "缺口原因", "需求数", "最高匹配度", "示例"])
    for gap in result.get("gaps") or []:
        gaps.append([gap["scenario"], gap["industry"], gap.get("reason", ""), gap["count"], gap["best_score"],
                     "；".join(gap["examples"])])
    name = f"cohort-{job.id}.xlsx"
    return Response(book.to_bytes(), headers={"Content-Disposition": f'attachment; filename="{name}"'},
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
