"""Enterprise pages: profile with privacy choices, the need list (add, edit, reorder,
delete) and the status of its engagements. A chain leader is an enterprise too."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from catalog import access
from catalog.engagements import queries as engagement_queries
from catalog.engagements.queries import EngagementFilter
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises import queries as enterprise_queries
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise, EnterpriseSize, Need, Priority
from catalog.enterprises.schemas import EnterpriseUpdate, NeedCreate, NeedUpdate
from catalog.errors import Conflict, MarketError, ValidationFailed
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from catalog.taxonomy import taxonomy
from catalog.users.models import User
from market.deps import CsrfProtected, EnterpriseUser, SessionDep
from market.permissions.declared import ENTERPRISES, requires
from market.templating import render
from market.web.forms import FormDep, checked, optional, read_version, text, validate
from market.web.page_common import flash_redirect

router = APIRouter(include_in_schema=False)

NEEDS_URL = "/enterprise/needs"


def my_enterprise(session: Session, user: User) -> Enterprise:
    """The enterprise this user speaks for (catalog.enterprises.service.enterprise_of)."""
    return enterprise_service.enterprise_of(session=session, user=user)


def _needs(session: Session, user: User, enterprise: Enterprise) -> list[Need]:
    return enterprise_queries.visible_needs_of(session=session, user=user, enterprise=enterprise)


@router.get("/enterprise", response_class=HTMLResponse, openapi_extra=requires(ENTERPRISES))
def profile(request: Request, session: SessionDep, user: EnterpriseUser) -> HTMLResponse:
    """The enterprise's profile, its privacy choices and a summary of its needs."""
    enterprise = my_enterprise(session, user)
    context = {
        "enterprise": enterprise,
        "needs": _needs(session, user, enterprise),
        "srdi_choices": taxonomy().srdi_tiers,
        "size_choices": tuple(s.value for s in EnterpriseSize),
    }
    return render(request, "enterprise/profile.html", context)


@router.post("/enterprise", openapi_extra=requires(ENTERPRISES))
def profile_submit(request: Request, session: SessionDep, user: EnterpriseUser, _csrf: CsrfProtected,
                   form: FormDep) -> Response:
    """Save the parts of the profile the enterprise keeps itself, and its privacy choices."""
    enterprise = my_enterprise(session, user)
    data, errors = validate(EnterpriseUpdate, {
        "size": text(form, "size"),
        "srdi_tier": text(form, "srdi_tier"),
        "budget_wan": optional(text(form, "budget_wan")),
        "findable_by_providers": checked(form, "findable_by_providers"),
        "share_budget": checked(form, "share_budget"),
        "share_needs_with_chain": checked(form, "share_needs_with_chain"),
    })
    if data is None:
        return flash_redirect(request, "/enterprise", "；".join(errors.values()), "error")
    try:
        enterprise_service.edit_enterprise(session=session, user=user, enterprise=enterprise, data=data,
                                           expected_version=read_version(form))
    except MarketError as error:
        return flash_redirect(request, "/enterprise", error.message, "error")
    return flash_redirect(request, "/enterprise", "企业资料和隐私设置已保存")


@router.get(NEEDS_URL, response_class=HTMLResponse, openapi_extra=requires(ENTERPRISES))
def need_list(request: Request, session: SessionDep, user: EnterpriseUser) -> HTMLResponse:
    """The need list in priority order, with a form to add one."""
    enterprise = my_enterprise(session, user)
    enterprise_rules.require(user, access.VIEW_NEEDS, enterprise)
    context = {"enterprise": enterprise, "needs": _needs(session, user, enterprise), "values": {}, "errors": {},
               **_need_choices()}
    return render(request, "enterprise/needs.html", context)


def _need_choices() -> dict[str, Any]:
    return {"scenario_choices": taxonomy().scenarios, "priority_choices": [p.value for p in Priority]}


def _need_data(form: Any) -> dict[str, Any]:
    return {
        "text": text(form, "text"),
        "scenario": optional(text(form, "scenario")),
        "priority": optional(text(form, "priority")),
        "budget_wan": optional(text(form, "budget_wan")),
    }


@router.post(NEEDS_URL, openapi_extra=requires(ENTERPRISES))
def need_add(request: Request, session: SessionDep, user: EnterpriseUser, _csrf: CsrfProtected,
             form: FormDep) -> Response:
    """Add a need at the end of the list."""
    enterprise = my_enterprise(session, user)
    raw = _need_data(form)
    data, errors = validate(NeedCreate, raw)
    if data is None:
        context = {"enterprise": enterprise, "needs": _needs(session, user, enterprise), "values": raw,
                   "errors": errors, **_need_choices()}
        return render(request, "enterprise/needs.html", context, status_code=422)
    need = enterprise_service.add_need(session=session, user=user, enterprise=enterprise, data=data)
    return flash_redirect(request, NEEDS_URL, f"已添加需求 {need.code}")


def _need(session: Session, user: User, need_id: int) -> Need:
    return access.load_visible(session, user, Need, need_id, "需求", enterprise_rules.can)


@router.get(NEEDS_URL + "/{need_id}/edit", response_class=HTMLResponse, openapi_extra=requires(ENTERPRISES))
def need_edit_form(request: Request, session: SessionDep, user: EnterpriseUser, need_id: int) -> HTMLResponse:
    """One need's edit form."""
    need = enterprise_service.editable_need(session=session, user=user, need_id=need_id)
    values = {"text": need.text, "scenario": need.scenario, "priority": need.priority,
              "budget_wan": need.budget_wan, "version": need.version}
    context = {"need": need, "values": values, "errors": {}, **_need_choices()}
    return render(request, "enterprise/need_form.html", context)


@router.post(NEEDS_URL + "/{need_id}/edit", openapi_extra=requires(ENTERPRISES))
def need_edit_submit(request: Request, session: SessionDep, user: EnterpriseUser, _csrf: CsrfProtected,
                     form: FormDep, need_id: int) -> Response:
    """Save one need."""
    need = enterprise_service.editable_need(session=session, user=user, need_id=need_id)
    raw = _need_data(form)
    data, errors = validate(NeedUpdate, raw)
    if data is None:
        context = {"need": need, "values": {**raw, "version": text(form, "version")}, "errors": errors,
                   **_need_choices()}
        return render(request, "enterprise/need_form.html", context, status_code=422)
    try:
        enterprise_service.edit_need(session=session, user=user, need=need, data=data,
                                     expected_version=read_version(form))
    except MarketError as error:
        return flash_redirect(request, f"{NEEDS_URL}/{need.id}/edit", error.message, "error")
    return flash_redirect(request, NEEDS_URL, f"已保存需求 {need.code}")


@router.post(NEEDS_URL + "/{need_id}/delete", openapi_extra=requires(ENTERPRISES))
def need_delete(request: Request, session: SessionDep, user: EnterpriseUser, _csrf: CsrfProtected,
                need_id: int) -> Response:
    """Remove a need from the list."""
    need = _need(session, user, need_id)
    code = need.code
    enterprise_service.remove_need(session=session, user=user, need=need)
    return flash_redirect(request, NEEDS_URL, f"已删除需求 {code}")


@router.post(NEEDS_URL + "/{need_id}/move", openapi_extra=requires(ENTERPRISES))
def need_move(request: Request, session: SessionDep, user: EnterpriseUser, _csrf: CsrfProtected,
              form: FormDep, need_id: int) -> Response:
    """Move a need one place up or down the list."""
    need = _need(session, user, need_id)
    enterprise = my_enterprise(session, user)
    moved = enterprise_service.shift_need(session=session, user=user, enterprise=enterprise, need=need,
                                          up=text(form, "direction") == "up")
    if not moved:
        return flash_redirect(request, NEEDS_URL, "已经在最前或最后", "info")
    return flash_redirect(request, NEEDS_URL, f"已调整需求 {need.code} 的顺序")


@router.post(NEEDS_URL + "/sort", openapi_extra=requires(ENTERPRISES))
def need_sort(request: Request, session: SessionDep, user: EnterpriseUser, _csrf: CsrfProtected) -> Response:
    """Order the list by priority (高 → 中 → 低), keeping the order within each priority."""
    enterprise = my_enterprise(session, user)
    try:
        enterprise_service.rank_needs_by_priority(session=session, user=user, enterprise=enterprise)
    except (Conflict, ValidationFailed) as error:  # a refusal stays a 403 page
        return flash_redirect(request, NEEDS_URL, error.message, "error")
    return flash_redirect(request, NEEDS_URL, "已按优先级排序")


@router.get("/enterprise/engagements", response_class=HTMLResponse, openapi_extra=requires(ENTERPRISES))
def engagements(request: Request, session: SessionDep, user: EnterpriseUser) -> HTMLResponse:
    """The enterprise's engagements with providers, from 意向 to 已验收."""
    enterprise = my_enterprise(session, user)
    rows = engagement_queries.list_engagements(session=session, user=user, per_page=engagement_queries.PAGE_ROWS,
                                               chosen=EngagementFilter(enterprise_id=enterprise.id)).rows
    solutions = _names(session, Solution, {g.solution_id for g in rows})
    providers = _names(session, Provider, {g.provider_id for g in rows})
    context = {"enterprise": enterprise, "engagements": rows, "solutions": solutions, "providers": providers}
    return render(request, "enterprise/engagements.html", context)


def _names(session: Session, model: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(model.id, model.name).where(col(model.id).in_(ids))).all()
    return {int(i): str(n) for i, n in rows}
