"""Pages: the pilot's progress — the dashboard against the target table (charts, drill-down,
export, import), provider and solution evaluations, and the engagement workflow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlmodel import Session, col, select

from catalog import access
from catalog.engagements import permissions as engagement_rules
from catalog.engagements import queries as engagement_queries
from catalog.engagements import service as engagement_service
from catalog.engagements import service as flow
from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise
from catalog.errors import MarketError, ValidationFailed
from catalog.progress import evaluations, policy, workbooks
from catalog.progress import queries as progress_queries
from catalog.progress import service as progress_service
from catalog.progress.measures import MEASURES, compute
from catalog.progress.permissions import progress_city
from catalog.providers.models import Provider
from catalog.showcase import permissions as showcase_rules
from catalog.showcase import service as showcase
from catalog.solutions.models import Solution
from catalog.users.models import User
from market.deps import CsrfProtected, CurrentUser, SessionDep
from market.exchange.import_gate import import_slot
from market.permissions.declared import BUREAU, ENTERPRISES, LOGGED_IN, PROVIDER, requires
from market.progress import charts
from market.progress.fields import to_float, to_int
from market.templating import render
from market.web.forms import FormDep, text
from market.web.page_common import flash_redirect, parse_int
from matching.evaluation import ranked

router = APIRouter(include_in_schema=False)


@router.get("/progress", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def dashboard_page(request: Request, session: SessionDep, user: CurrentUser, region: str | None = None) -> Response:
    """目标总表完成情况: each row's target and computed figure, by segment and year."""
    city = progress_city(user, region)
    rows = progress_queries.progress(session=session, region=city)
    share = progress_queries.level_two_share(session=session, region=city)
    bars = {item.row.id: Markup(charts.bar_vs_target(item.actual or 0.0, item.row.target, unit=item.row.unit))
            for item in rows if item.actual is not None}
    trend_points, trend_target = progress_queries.city_trend(session=session, region=city, rows=rows)
    trend = Markup(charts.trend(trend_points, target=trend_target)) if rows else ""
    context = {"city": city, "cities": access.bureau_regions(user), "columns": progress_queries.columns(rows),
               "table": progress_queries.pivot(rows), "bars": bars, "share": share, "bar": policy.LEVEL_TWO_SHARE_PCT,
               "bar_reached": policy.level_two_share_reached(share.value),
               "trend": trend, "trend_target": trend_target, "title_of": workbooks.column_title,
               "table_name": rows[0].row.table_name if rows else ""}
    return render(request, "progress/dashboard.html", context)


@router.get("/progress/rows/{row_id}", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def row_page(request: Request, session: SessionDep, user: CurrentUser, row_id: int) -> Response:
    """The records behind one figure, and its trend by month."""
    row = progress_queries.visible_row(session=session, user=user, row_id=row_id)
    result = compute(session, row.measure, progress_queries.scope_of(row))
    trend = Markup(charts.trend(progress_queries.monthly(result), target=row.target)) if result else ""
    measure = MEASURES.get(row.measure or "")
    return render(request, "progress/row.html", {"row": row, "result": result, "trend": trend,
                                                 "measure": measure, "title_of": workbooks.column_title})


@router.post("/progress/targets/import", openapi_extra=requires(BUREAU))
async def import_page(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                      file: UploadFile, region: str | None = None) -> Response:
    """Import the target table from an xlsx (明细 layout)."""
    progress_city(user, region)  # a bureau of another city is refused, not sent back with a message
    try:
        content = await file.read()
        with import_slot():
            done = progress_service.import_targets(session=session, user=user, content=content, region=region)
    except MarketError as error:
        return flash_redirect(request, "/progress", error.message, "error")
    return flash_redirect(request, "/progress", f"已导入目标 {done.rows} 行（新增 {done.created} 行）")


@router.get("/progress/evaluations", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def evaluations_page(request: Request, session: SessionDep, user: CurrentUser, region: str | None = None) -> Response:
    """考核评价: provider ranking with components, the warn / retire proposals, solution results."""
    city = progress_city(user, region)
    providers = evaluations.provider_evaluations(session=session, region=city, evaluate=ranked)
    flagged = [(p, e) for p, e in providers if policy.is_flagged(e.proposal)]
    context = {"city": city, "providers": providers, "flagged": flagged,
               "solutions": evaluations.solution_evaluations(session=session, region=city, evaluate=ranked)}
    return render(request, "progress/evaluations.html", context)


@router.get("/progress/engagements", response_class=HTMLResponse, openapi_extra=requires(LOGGED_IN))
def engagements_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """The engagements the user may see, with their step and subsidy."""
    rows = engagement_queries.list_engagements(session=session, user=user, per_page=engagement_queries.PAGE_ROWS).rows
    for_whom = [(e.id or 0, e.name) for e in engagement_queries.intention_enterprises(session=session, user=user)]
    choices: list[tuple[int, str]] = []
    if for_whom:
        choices = [(s.id or 0, f"{s.name}（{p.name}）") for s, p in engagement_queries.listed_offerings(session=session)]
    context = {"rows": rows, "choices": choices, "for_whom": for_whom if user.enterprise_id is None else [],
               "chosen_enterprise": to_int(request.query_params.get("enterprise_id", "")), **_names(session, rows)}
    return render(request, "progress/engagements.html", context)


@router.post("/progress/engagements", openapi_extra=requires(BUREAU | ENTERPRISES))
def engagement_create(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                      form: FormDep) -> Response:
    """An enterprise records its intention (意向) to use a published solution; a bureau records
    one for an enterprise of its regions."""
    enterprise_id = to_int(text(form, "enterprise_id")) or user.enterprise_id
    if not enterprise_id:
        return flash_redirect(request, "/progress/engagements", "请选择试点企业", "error")
    chosen = to_int(text(form, "solution_id"))
    if not chosen:
        return flash_redirect(request, "/progress/engagements", "请选择已入库的产品和解决方案", "error")
    try:
        engagement = engagement_service.open_intention(session=session, user=user, enterprise_id=enterprise_id,
                                                       solution_id=chosen)
    except MarketError as error:
        return flash_redirect(request, "/progress/engagements", error.message, "error")
    solution = session.get(Solution, engagement.solution_id)
    return flash_redirect(request, f"/progress/engagements/{engagement.id}",
                          f"已登记对接意向：{solution.name if solution else ''}")


def _names(session: Session, rows: Any) -> dict[str, dict[int, str]]:
    def names(model: Any, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        return {r.id: r.name for r in session.exec(select(model).where(col(model.id).in_(ids))).all()}

    return {"enterprises": names(Enterprise, {g.enterprise_id for g in rows}),
            "solutions": names(Solution, {g.solution_id for g in rows}),
            "providers": names(Provider, {g.provider_id for g in rows})}


@router.get("/progress/engagements/{engagement_id}", response_class=HTMLResponse,
            openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def engagement_page(request: Request, session: SessionDep, user: CurrentUser, engagement_id: int) -> Response:
    """One engagement: its steps, the forms of the steps this user may take, the subsidy."""
    g = flow.get_engagement(session=session, engagement_id=engagement_id, user=user)
    enterprise = session.get(Enterprise, g.enterprise_id)
    steps = {s: engagement_rules.can_step(user, s, g, enterprise) for s in engagement_rules.STEPS}
    record = flow.acceptance_of(session=session, engagement_id=g.id or 0)
    preview = flow.subsidy_preview(session=session, engagement=g)
    context = {"g": g, "enterprise": enterprise, "steps": steps, "record": record, "preview": preview,
               "today": date.today().isoformat(), **_names(session, [g]),
               "messages": showcase.messages_of(session=session, engagement_id=g.id or 0),
               "may_write": showcase_rules.can_message(user, g, enterprise)}
    return render(request, "progress/engagement.html", context)


def _day(form: Any, name: str) -> date:
    try:
        return date.fromisoformat(text(form, name))
    except ValueError as error:
        raise MarketError("validation_failed", "请填写有效的日期（年-月-日）", 422) from error


def _read(form: Any) -> int | None:
    """The version the page showed (a step from an older tab is refused as stale)."""
    return parse_int(text(form, "version"))


def _share(form: Any) -> float:
    """The provider's share (让利, 万元) as typed; none is 0, and what is no number is refused."""
    raw = text(form, "provider_share_wan")
    share = to_float(raw)
    if raw and share is None:
        raise ValidationFailed("bad_share", f"服务商让利应为数字（万元），实际为“{raw[:20]}”")
    return share or 0.0


def _stepped(request: Request, session: Session, user: User, engagement_id: int,
             take: Callable[[Engagement], str]) -> Response:
    """Take one workflow step from the engagement page (`take`: the catalog call, and what the
    page then says), back to the page with its message or the refusal."""
    g = flow.get_engagement(session=session, engagement_id=engagement_id, user=user)
    url = f"/progress/engagements/{engagement_id}"
    try:
        message = take(g)
    except MarketError as error:
        session.rollback()
        return flash_redirect(request, url, error.message, "error")
    return flash_redirect(request, url, message)


@router.post("/progress/engagements/{engagement_id}/sign", openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def engagement_sign(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                    form: FormDep, engagement_id: int) -> Response:
    """签约, with the contract amount and date."""
    def take(g: Engagement) -> str:
        flow.sign_as(session=session, user=user, engagement=g, amount_wan=to_float(text(form, "amount_wan")),
                     contract_date=_day(form, "contract_date"), expected_version=_read(form))
        return "已登记签约"
    return _stepped(request, session, user, engagement_id, take)


@router.post("/progress/engagements/{engagement_id}/start", openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def engagement_start(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                     form: FormDep, engagement_id: int) -> Response:
    """开始实施."""
    def take(g: Engagement) -> str:
        flow.start_as(session=session, user=user, engagement=g, expected_version=_read(form))
        return "已开始实施"
    return _stepped(request, session, user, engagement_id, take)


@router.post("/progress/engagements/{engagement_id}/propose",
             openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def engagement_propose(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                       form: FormDep, engagement_id: int) -> Response:
    """申请验收, with the date and the levels rated on site."""
    def take(g: Engagement) -> str:
        flow.propose_acceptance_as(session=session, user=user, engagement=g,
                                   acceptance_date=_day(form, "acceptance_date"),
                                   level_before=text(form, "level_before"), level_after=text(form, "level_after"),
                                   provider_share_wan=_share(form))
        return "已提交验收申请，等待主管部门确认"
    return _stepped(request, session, user, engagement_id, take)


@router.post("/progress/engagements/{engagement_id}/confirm", openapi_extra=requires(BUREAU))
def engagement_confirm(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                       form: FormDep, engagement_id: int) -> Response:
    """确认验收 (the bureau), with the subsidy it grants."""
    def take(g: Engagement) -> str:
        record = flow.confirm_acceptance_as(session=session, user=user, engagement=g, expected_version=_read(form))
        return f"已确认验收。{record.subsidy_reason}"
    return _stepped(request, session, user, engagement_id, take)


@router.post("/progress/engagements/{engagement_id}/terminate",
             openapi_extra=requires(BUREAU | PROVIDER | ENTERPRISES))
def engagement_terminate(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                         form: FormDep, engagement_id: int) -> Response:
    """终止, with the reason."""
    def take(g: Engagement) -> str:
        flow.terminate_as(session=session, user=user, engagement=g, reason=text(form, "reason"),
                          expected_version=_read(form))
        return "已终止该对接"
    return _stepped(request, session, user, engagement_id, take)


@router.post("/progress/engagements/{engagement_id}/rate", openapi_extra=requires(ENTERPRISES))
def engagement_rate(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                    form: FormDep, engagement_id: int) -> Response:
    """评价 (the enterprise): a rating that is no whole number is refused as the API refuses one out of range."""
    def take(g: Engagement) -> str:
        flow.rate_as(session=session, user=user, engagement=g, rating=to_int(text(form, "rating")),
                     review=text(form, "review"))
        return "感谢评价"
    return _stepped(request, session, user, engagement_id, take)
