"""服务商入驻 pages: the public application form, and the bureau's page to decide one.

The form posts to the same service as POST /api/provider-applications; the decision page to
the same one as POST /api/provider-applications/{id}/decision.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from catalog.errors import Forbidden, MarketError, NotFound
from catalog.provider_applications import permissions as application_rules
from catalog.provider_applications import service as applications
from catalog.provider_applications.models import ProviderApplicationCreate
from catalog.users.models import User
from market.auth.api import client_address
from market.deps import BureauUser, CsrfProtected, OptionalUser, SessionDep
from market.listings import forms as lf
from market.permissions.declared import BUREAU, PUBLIC, requires
from market.templating import render
from market.web.forms import FormDep, checked, text, validate, values
from market.web.labels import PROVIDER_LABELS, show
from market.web.page_common import flash_redirect, split_lines

router = APIRouter(include_in_schema=False)

JOIN_URL = "/join"
FIELDS = ("name", "uscc", "kind", "region", "service_regions", "description", "certifications",
          "contact_name", "contact_phone", "username")
_LISTS = ("service_regions", "certifications")
# The decision form's choices, as the service's `approve` (none chosen: None, refused there).
DECISIONS = {"approve": True, "reject": False}
# Service errors that belong to one field of the form.
ERROR_FIELDS = {"duplicate_uscc": "uscc", "duplicate_username": "username"}


def _form_data(form: FormData) -> dict[str, Any]:
    data: dict[str, Any] = {name: text(form, name) for name in FIELDS}
    for name in _LISTS:
        data[name] = split_lines(data[name])
    data["contact_name"] = data["contact_name"] or None
    data["contact_phone"] = data["contact_phone"] or None
    data["industries"], data["scenarios"] = values(form, "industries"), values(form, "scenarios")
    data["password"] = form.get("password") if isinstance(form.get("password"), str) else ""
    data["confirm_similar_name"] = checked(form, "confirm_similar_name")
    return data


def _page(request: Request, typed: dict[str, Any], errors: dict[str, str], similar: str = "",
          status_code: int = 200) -> HTMLResponse:
    context = {"values": typed, "errors": errors, "similar": similar, **lf.form_choices()}
    return render(request, "public/join.html", context, status_code=status_code)


def _typed(form: FormData) -> dict[str, Any]:
    """What the visitor typed (never the password), to show the form again."""
    out: dict[str, Any] = {name: text(form, name) for name in FIELDS}
    out["industries"], out["scenarios"] = values(form, "industries"), values(form, "scenarios")
    out["confirm_similar_name"] = checked(form, "confirm_similar_name")
    return out


@router.get(JOIN_URL, response_class=HTMLResponse, openapi_extra=requires(PUBLIC))
def join_form(request: Request, user: OptionalUser) -> HTMLResponse:
    """The empty application form (open to everyone)."""
    return _page(request, {"industries": [], "scenarios": []}, {})


@router.post(JOIN_URL, openapi_extra=requires(PUBLIC))
def join_submit(request: Request, session: SessionDep, _csrf: CsrfProtected, form: FormDep) -> Response:
    """Apply: the provider in 待审核 and its account; then the applicant logs in to follow it."""
    data, errors = validate(ProviderApplicationCreate, _form_data(form))
    if text(form, "password") != text(form, "password2") and "password" not in errors:
        errors["password2"] = "两次输入的密码不一致"
    if data is None or errors:
        return _page(request, _typed(form), errors, status_code=422)
    try:
        applications.submit(session=session, data=data, address=client_address(request))
    except MarketError as error:
        session.rollback()
        return _refused(request, form, error)
    return flash_redirect(request, "/login", f"“{data.name}”的入驻申请已提交，请用用户名 {data.username} "
                          "登录查看审核进度；审核通过后即可发布产品", "success")


def _refused(request: Request, form: FormData, error: MarketError) -> HTMLResponse:
    if error.code == "similar_name":
        return _page(request, _typed(form), {}, similar=error.message, status_code=409)
    field = ERROR_FIELDS.get(error.code, "")
    errors = {field: error.message} if field else {"form": error.message}
    return _page(request, _typed(form), errors, status_code=error.status)


# --- the bureau's decision ----------------------------------------------------------------------


def _load(session: Session, user: User, application_id: int) -> tuple[Any, Any]:
    application = applications.get_application(session=session, application_id=application_id)
    provider = applications.get_provider_of(session=session, application=application)
    application_rules.require_view_application(user, application, provider)
    return application, provider


@router.get("/bureau/applications/{application_id}", response_class=HTMLResponse,
            openapi_extra=requires(BUREAU))
def application_page(request: Request, session: SessionDep, user: BureauUser, application_id: int) -> HTMLResponse:
    """One application: the applicant's profile, similar providers it confirmed, the decision form."""
    application, provider = _load(session, user, application_id)
    fields = [(PROVIDER_LABELS[name], show(name, getattr(provider, name))) for name in PROVIDER_LABELS
              if name not in ("status", "review_remark", "lead_provider_id")]
    context = {"application": application, "provider": provider, "fields": fields,
               "similar": applications.similar_of(session=session, application=application),
               "can_decide": application_rules.can_decide_application(user, provider)}
    return render(request, "bureau/application.html", context)


@router.post("/bureau/applications/{application_id}", openapi_extra=requires(BUREAU))
def application_decide(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                       form: FormDep, application_id: int) -> Response:
    """Approve, or reject with a reason."""
    application = applications.get_application(session=session, application_id=application_id)
    decision, reason = text(form, "decision"), text(form, "reason")  # its rules are the service's
    try:
        provider = applications.decide(session=session, user=user, application=application,
                                       approve=DECISIONS.get(decision), reason=reason)
    except (NotFound, Forbidden):
        raise  # who may not decide gets the error page, as on the application's page
    except MarketError as error:
        session.rollback()
        return flash_redirect(request, f"/bureau/applications/{application_id}", error.message, "error")
    verb = "已通过" if decision == "approve" else "已不予通过"
    return flash_redirect(request, "/bureau/review", f"{verb}“{provider.name}”的入驻申请")

