"""Bureau management: providers, solutions and enterprises in its regions, with bulk status
changes (能进能出) and the 优秀 flag."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import col, select

from catalog.errors import MarketError
from catalog.providers import permissions as provider_rules
from catalog.providers import queries as provider_queries
from catalog.providers import review
from catalog.providers.models import ListingStatus, Provider
from catalog.providers.queries import ProviderFilter
from catalog.solutions import permissions as solution_rules
from catalog.solutions import queries as solution_queries
from catalog.solutions.models import Solution
from catalog.solutions.queries import SolutionFilter
from market.deps import BureauUser, CsrfProtected, SessionDep
from market.permissions.declared import BUREAU, requires
from market.templating import render
from market.web.forms import FormDep, text, values
from market.web.page_common import PER_PAGE, Page, flash_redirect, parse_int, safe_next

router = APIRouter(include_in_schema=False)

STATUS_ACTIONS = {
    "publish": ("入库", ListingStatus.PUBLISHED),
    "suspend": ("暂停", ListingStatus.SUSPENDED),
    "retire": ("退出", ListingStatus.RETIRED),
}
EXCELLENT_ACTIONS = {"excellent_on": ("设为优秀", True), "excellent_off": ("取消优秀", False)}


def _list_filters(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "").strip()[:60] for k in ("q", "status", "excellent")}


def _page_number(request: Request) -> int:
    return parse_int(request.query_params.get("page"), 1) or 1


@router.get("/bureau/solutions", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def solutions(request: Request, session: SessionDep, user: BureauUser) -> HTMLResponse:
    """Every solution of the providers in this bureau's regions, filterable, with bulk actions."""
    chosen = _list_filters(request)
    found = solution_queries.list_solutions(
        session=session, within=solution_rules.managed_solutions(user, select(Solution)), page=_page_number(request),
        per_page=PER_PAGE, clamp=True, chosen=SolutionFilter(q=chosen["q"], status=chosen["status"] or None,
                                                             excellent=True if chosen["excellent"] else None, sort="id"))
    page = Page(items=found.rows, total=found.total, page=found.page, per_page=found.per_page)
    names = dict(session.exec(select(Provider.id, Provider.name).where(
        col(Provider.id).in_({s.provider_id for s in page.items} or {-1}))).all())
    context = {
        "page": page, "chosen": chosen, "provider_names": names,
        "statuses": [s.value for s in ListingStatus],
        "actions": {k: v[0] for k, v in {**STATUS_ACTIONS, **EXCELLENT_ACTIONS}.items()},
    }
    return render(request, "bureau/solutions.html", context)


@router.get("/bureau/providers", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def providers(request: Request, session: SessionDep, user: BureauUser) -> HTMLResponse:
    """Every provider in this bureau's regions, filterable, with bulk actions."""
    chosen = _list_filters(request)
    found = provider_queries.list_providers(
        session=session, within=provider_rules.managed_providers(user, select(Provider)), page=_page_number(request),
        per_page=PER_PAGE, clamp=True, chosen=ProviderFilter(q=chosen["q"], status=chosen["status"] or None, sort="id"))
    page = Page(items=found.rows, total=found.total, page=found.page, per_page=found.per_page)
    context = {
        "page": page, "chosen": chosen,
        "statuses": [s.value for s in ListingStatus],
        "actions": {k: v[0] for k, v in STATUS_ACTIONS.items()},
    }
    return render(request, "bureau/providers.html", context)


def _bulk_message(done: int, problems: list[str], verb: str) -> tuple[str, str]:
    if not problems:
        return f"已{verb} {done} 项", "success"
    shown = "；".join(problems[:5]) + ("……" if len(problems) > 5 else "")
    return f"已{verb} {done} 项，{len(problems)} 项未变更：{shown}", "warning" if done else "error"


def _selected_ids(form: Any) -> list[int]:
    return [int(v) for v in values(form, "ids") if v.isdigit()]


@router.post("/bureau/solutions/bulk", openapi_extra=requires(BUREAU))
def solutions_bulk(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                   form: FormDep) -> Response:
    """Publish, suspend, retire or flag 优秀 many solutions at once."""
    back = safe_next(text(form, "next"), "/bureau/solutions")
    ids, action, remark = _selected_ids(form), text(form, "action"), text(form, "remark") or None
    if not ids or action not in STATUS_ACTIONS and action not in EXCELLENT_ACTIONS:
        return flash_redirect(request, back, "请先勾选记录并选择操作", "error")

    try:
        if action in EXCELLENT_ACTIONS:
            verb, flag = EXCELLENT_ACTIONS[action]
            outcome = review.bulk_set_excellent(session=session, user=user, ids=ids, excellent=flag)
        else:
            verb, status = STATUS_ACTIONS[action]
            outcome = review.bulk_change_status(session=session, user=user, record_type="solution", ids=ids,
                                                status=status, remark=remark)
    except MarketError as error:
        return flash_redirect(request, back, error.message, "error")
    message, kind = _bulk_message(outcome.done, outcome.problems, verb)
    return flash_redirect(request, back, message, kind)


@router.post("/bureau/providers/bulk", openapi_extra=requires(BUREAU))
def providers_bulk(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                   form: FormDep) -> Response:
    """Publish, suspend or retire many providers at once."""
    back = safe_next(text(form, "next"), "/bureau/providers")
    ids, action, remark = _selected_ids(form), text(form, "action"), text(form, "remark") or None
    if not ids or action not in STATUS_ACTIONS:
        return flash_redirect(request, back, "请先勾选记录并选择操作", "error")
    verb, status = STATUS_ACTIONS[action]
    try:
        outcome = review.bulk_change_status(session=session, user=user, record_type="provider", ids=ids,
                                            status=status, remark=remark)
    except MarketError as error:
        return flash_redirect(request, back, error.message, "error")
    message, kind = _bulk_message(outcome.done, outcome.problems, verb)
    return flash_redirect(request, back, message, kind)
