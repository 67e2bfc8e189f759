"""Provider pages: dashboard, profile, solutions (list, add, edit, withdraw).

Every edit goes back to 待审核 until a bureau approves it; the bureau's remarks show here.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from catalog import notices
from catalog import service as catalog_service
from catalog.errors import Conflict, Forbidden, MarketError
from catalog.models import Engagement, ListingStatus, Provider, Solution, User
from catalog.schemas import ProviderUpdate, SolutionCreate, SolutionUpdate
from market import permissions as perm
from market.deps import CsrfProtected, ProviderUser, SessionDep
from market.pages import listing_forms as lf
from market.pages.common import flash_redirect, parse_int
from market.pages.forms import FormDep, text, validate
from market.templating import render

router = APIRouter(include_in_schema=False)


def my_provider(session: Session, user: User) -> Provider:
    """The provider this user speaks for (403 when the account is bound to none)."""
    if user.provider_id is None:
        raise Forbidden("no_provider", "该账号未绑定服务商，请联系主管部门")
    provider = catalog_service.get_provider(session=session, provider_id=int(user.provider_id or 0))
    perm.require(user, perm.VIEW, provider)
    return provider


def _my_solutions(session: Session, user: User, provider: Provider) -> list[Solution]:
    statement = perm.visible_solutions(user, select(Solution)).where(Solution.provider_id == provider.id)
    return list(session.exec(statement.order_by(col(Solution.id))).all())


@router.get("/provider", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, user: ProviderUser) -> HTMLResponse:
    """The provider's dashboard: its review state, its listings by status, remarks to act on."""
    provider = my_provider(session, user)
    solutions = _my_solutions(session, user, provider)
    engagements = session.exec(
        perm.visible_engagements(user, select(Engagement)).order_by(col(Engagement.updated_at).desc()).limit(10)
    ).all()
    context = {
        "provider": provider,
        "by_status": Counter(s.status for s in solutions),
        "statuses": [s.value for s in ListingStatus],
        "to_fix": [s for s in solutions if s.status == ListingStatus.PENDING and s.review_remark],
        "pending": [s for s in solutions if s.status == ListingStatus.PENDING and not s.review_remark],
        "engagements": engagements,
        "solution_names": {s.id: s.name for s in solutions},
    }
    return render(request, "provider/dashboard.html", context)


@router.get("/provider/profile", response_class=HTMLResponse)
def profile_form(request: Request, session: SessionDep, user: ProviderUser) -> HTMLResponse:
    """The provider's profile form."""
    provider = my_provider(session, user)
    perm.require(user, perm.EDIT, provider)
    values = lf.form_values(provider, lf.PROVIDER_TEXT)
    return _profile_page(request, provider, values, {})


def _profile_page(request: Request, provider: Provider, values: dict[str, Any], errors: dict[str, str],
                  status_code: int = 200) -> HTMLResponse:
    context = {"provider": provider, "values": values, "errors": errors, **lf.form_choices()}
    return render(request, "provider/profile.html", context, status_code=status_code)


@router.post("/provider/profile")
def profile_submit(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected,
                   form: FormDep) -> Response:
    """Save the profile; a published provider goes back to 待审核."""
    provider = my_provider(session, user)
    perm.require(user, perm.EDIT, provider)
    data, errors = validate(ProviderUpdate, lf.provider_data(form))
    if data is None:
        return _profile_page(request, provider, lf.raw_values(form, lf.PROVIDER_TEXT), errors, 422)
    version = provider.version
    try:
        perm.require_fields(user, provider, data.model_dump(exclude_unset=True))
        catalog_service.update_provider(session=session, provider=provider, data=data, actor=user.username,
                                        expected_version=parse_int(text(form, "version")))
    except (Conflict, Forbidden) as error:
        return flash_redirect(request, "/provider/profile", error.message, "error")
    if provider.version == version:
        return flash_redirect(request, "/provider", "资料没有变化", "info")
    lf.back_to_review(session, provider, user.username)
    return flash_redirect(request, "/provider", "机构资料已保存，已提交主管部门审核")


@router.get("/provider/solutions", response_class=HTMLResponse)
def solution_list(request: Request, session: SessionDep, user: ProviderUser) -> HTMLResponse:
    """All of the provider's listings with their review state and remarks."""
    provider = my_provider(session, user)
    context = {"provider": provider, "solutions": _my_solutions(session, user, provider)}
    return render(request, "provider/solutions.html", context)


@router.get("/provider/solutions/new", response_class=HTMLResponse)
def new_solution_form(request: Request, session: SessionDep, user: ProviderUser) -> HTMLResponse:
    """An empty solution form."""
    provider = my_provider(session, user)
    perm.require(user, perm.CREATE_SOLUTION, provider)
    return _solution_page(request, None, lf.form_values(None, lf.SOLUTION_TEXT), {})


def _solution_page(request: Request, solution: Solution | None, values: dict[str, Any],
                   errors: dict[str, str], status_code: int = 200) -> HTMLResponse:
    context = {"solution": solution, "values": values, "errors": errors, **lf.form_choices()}
    return render(request, "provider/solution_form.html", context, status_code=status_code)


@router.post("/provider/solutions/new")
def new_solution_submit(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected,
                        form: FormDep) -> Response:
    """Add a listing; it waits in 待审核 until a bureau approves it."""
    provider = my_provider(session, user)
    perm.require(user, perm.CREATE_SOLUTION, provider)
    raw = lf.solution_data(form)
    raw["code"] = raw["code"] or lf.next_solution_code(session, provider)
    data, errors = validate(SolutionCreate, {**raw, "provider_id": provider.id})
    if data is None:
        return _solution_page(request, None, lf.raw_values(form, lf.SOLUTION_TEXT), errors, 422)
    try:
        solution = catalog_service.create_solution(session=session, data=data, actor=user.username)
    except MarketError as error:
        return _solution_page(request, None, lf.raw_values(form, lf.SOLUTION_TEXT), {"code": error.message}, 422)
    notices.listing_submitted(session=session, record=solution)
    return flash_redirect(request, "/provider/solutions", f"已提交“{solution.name}”，等待主管部门审核")


def _own_solution(session: Session, user: User, solution_id: int, action: str) -> Solution:
    solution = catalog_service.get_solution(session=session, solution_id=solution_id)
    perm.require(user, action, solution)
    return solution


@router.get("/provider/solutions/{solution_id}/edit", response_class=HTMLResponse)
def edit_solution_form(request: Request, session: SessionDep, user: ProviderUser, solution_id: int) -> HTMLResponse:
    """A solution's edit form (only the provider's own listings)."""
    solution = _own_solution(session, user, solution_id, perm.EDIT)
    return _solution_page(request, solution, lf.form_values(solution, lf.SOLUTION_TEXT), {})


@router.post("/provider/solutions/{solution_id}/edit")
def edit_solution_submit(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected,
                         form: FormDep, solution_id: int) -> Response:
    """Save a listing; a published one goes back to 待审核."""
    solution = _own_solution(session, user, solution_id, perm.EDIT)
    raw = lf.solution_data(form)
    raw["code"] = raw["code"] or solution.code
    data, errors = validate(SolutionUpdate, raw)
    if data is None:
        return _solution_page(request, solution, lf.raw_values(form, lf.SOLUTION_TEXT), errors, 422)
    version = solution.version
    back = f"/provider/solutions/{solution.id}/edit"
    try:
        perm.require_fields(user, solution, data.model_dump(exclude_unset=True))
        catalog_service.update_solution(session=session, solution=solution, data=data, actor=user.username,
                                        expected_version=parse_int(text(form, "version")))
    except (Conflict, Forbidden) as error:
        return flash_redirect(request, back, error.message, "error")
    if solution.version == version:
        return flash_redirect(request, "/provider/solutions", "内容没有变化", "info")
    lf.back_to_review(session, solution, user.username)
    return flash_redirect(request, "/provider/solutions", f"已保存“{solution.name}”，等待主管部门审核")


@router.post("/provider/solutions/{solution_id}/withdraw")
def withdraw_solution(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected,
                      solution_id: int) -> Response:
    """Withdraw a listing from the pool for good (退出)."""
    solution = _own_solution(session, user, solution_id, perm.WITHDRAW)
    catalog_service.change_solution_status(session=session, solution=solution, status=ListingStatus.RETIRED,
                                           actor=user.username, remark="服务商主动撤回")
    return flash_redirect(request, "/provider/solutions", f"已撤回“{solution.name}”")

