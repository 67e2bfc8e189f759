"""Provider pages: dashboard, profile, solutions (list, add, edit, withdraw).

A new listing waits in 待审核 until a bureau approves it; an edit of a published one becomes
a pending revision while the published version stays public (catalog/revisions/service.py);
the bureau's remarks and reasons for rejecting a revision show here.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from catalog import access
from catalog.engagements import queries as engagement_queries
from catalog.errors import MarketError
from catalog.providers import permissions as provider_rules
from catalog.providers import queue, review
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.providers.schemas import ProviderUpdate
from catalog.revisions import service as revisions
from catalog.revisions.models import Revision
from catalog.solutions import permissions as solution_rules
from catalog.solutions import queries as solution_queries
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution
from catalog.solutions.schemas import SolutionCreate, SolutionUpdate
from catalog.users.models import User
from market.deps import CsrfProtected, ProviderUser, SessionDep
from market.listings import forms as lf
from market.permissions.declared import PROVIDER, requires
from market.templating import render
from market.web.forms import FormDep, read_version, validate
from market.web.page_common import flash_redirect

router = APIRouter(include_in_schema=False)


def my_provider(session: Session, user: User) -> Provider:
    """The provider this user speaks for (catalog.providers.service.provider_of)."""
    return provider_service.provider_of(session=session, user=user)


def _my_solutions(session: Session, user: User, provider: Provider) -> list[Solution]:
    return solution_queries.solutions_of_provider(session=session, user=user, provider_id=provider.id or 0)


@router.get("/provider", response_class=HTMLResponse, openapi_extra=requires(PROVIDER))
def dashboard(request: Request, session: SessionDep, user: ProviderUser) -> HTMLResponse:
    """The provider's dashboard: its review state, its listings by status, remarks to act on."""
    provider = my_provider(session, user)
    solutions = _my_solutions(session, user, provider)
    engagements = engagement_queries.list_engagements(session=session, user=user, per_page=10).rows
    context = {
        "provider": provider,
        "by_status": Counter(s.status for s in solutions),
        "statuses": [s.value for s in ListingStatus],
        "to_fix": [s for s in solutions if queue.is_sent_back(s)],
        "pending": [s for s in solutions if queue.is_fresh(s)],
        "engagements": engagements,
        "solution_names": {s.id: s.name for s in solutions},
        "profile_revision": _open_revision(session, provider),
        "solution_revisions": _open_revisions(session, solutions),
    }
    return render(request, "provider/dashboard.html", context)


def _open_revision(session: Session, record: Provider | Solution) -> Revision | None:
    return revisions.open_revisions(session=session, record_type=revisions.record_type_of(record),
                                    record_ids=[int(record.id or 0)]).get(int(record.id or 0))


def _open_revisions(session: Session, solutions: list[Solution]) -> dict[int, Revision]:
    return revisions.open_revisions(session=session, record_type="solution",
                                    record_ids=[int(s.id or 0) for s in solutions])


@router.get("/provider/profile", response_class=HTMLResponse, openapi_extra=requires(PROVIDER))
def profile_form(request: Request, session: SessionDep, user: ProviderUser) -> HTMLResponse:
    """The provider's profile form."""
    provider = my_provider(session, user)
    provider_rules.require(user, access.EDIT, provider)
    revision = _open_revision(session, provider)
    values = lf.form_values(provider, lf.PROVIDER_TEXT, revision)
    return _profile_page(request, provider, values, {}, revision)


def _profile_page(request: Request, provider: Provider, values: dict[str, Any], errors: dict[str, str],
                  revision: Revision | None, status_code: int = 200) -> HTMLResponse:
    context = {"provider": provider, "values": values, "errors": errors, "revision": revision,
               **lf.form_choices()}
    return render(request, "provider/profile.html", context, status_code=status_code)


@router.post("/provider/profile", openapi_extra=requires(PROVIDER))
def profile_submit(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected,
                   form: FormDep) -> Response:
    """Save the profile: published, the changes wait for review (contact details apply at once)."""
    provider = my_provider(session, user)
    provider_rules.require(user, access.EDIT, provider)
    data, errors = validate(ProviderUpdate, lf.provider_data(form))
    if data is None:
        values = lf.raw_values(form, lf.PROVIDER_TEXT)
        return _profile_page(request, provider, values, errors, _open_revision(session, provider), 422)
    try:
        outcome = revisions.edit_listing(session=session, user=user, record=provider, data=data,
                                         expected_version=read_version(form))
    except MarketError as error:
        return flash_redirect(request, "/provider/profile", error.message, "error")
    return flash_redirect(request, "/provider", *lf.saved_message(provider, outcome))


@router.get("/provider/solutions", response_class=HTMLResponse, openapi_extra=requires(PROVIDER))
def solution_list(request: Request, session: SessionDep, user: ProviderUser) -> HTMLResponse:
    """All of the provider's listings with their review state and remarks."""
    provider = my_provider(session, user)
    solutions = _my_solutions(session, user, provider)
    context = {"provider": provider, "solutions": solutions, "revisions": _open_revisions(session, solutions)}
    return render(request, "provider/solutions.html", context)


@router.get("/provider/solutions/new", response_class=HTMLResponse, openapi_extra=requires(PROVIDER))
def new_solution_form(request: Request, session: SessionDep, user: ProviderUser) -> HTMLResponse:
    """An empty solution form."""
    provider = my_provider(session, user)
    provider_rules.require(user, access.CREATE_SOLUTION, provider)
    return _solution_page(request, None, lf.form_values(None, lf.SOLUTION_TEXT), {})


def _solution_page(request: Request, solution: Solution | None, values: dict[str, Any],
                   errors: dict[str, str], status_code: int = 200, revision: Revision | None = None) -> HTMLResponse:
    context = {"solution": solution, "values": values, "errors": errors, "revision": revision,
               **lf.form_choices()}
    return render(request, "provider/solution_form.html", context, status_code=status_code)


@router.post("/provider/solutions/new", openapi_extra=requires(PROVIDER))
def new_solution_submit(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected,
                        form: FormDep) -> Response:
    """Add a listing; it waits in 待审核 until a bureau approves it."""
    provider = my_provider(session, user)
    provider_rules.require(user, access.CREATE_SOLUTION, provider)
    data, errors = validate(SolutionCreate, {**lf.solution_data(form), "provider_id": provider.id})
    if data is None:
        return _solution_page(request, None, lf.raw_values(form, lf.SOLUTION_TEXT), errors, 422)
    try:
        solution = solution_service.submit_solution(session=session, user=user, data=data)
    except MarketError as error:
        return _solution_page(request, None, lf.raw_values(form, lf.SOLUTION_TEXT), {"code": error.message}, 422)
    return flash_redirect(request, "/provider/solutions", f"已提交“{solution.name}”，等待主管部门审核")


def _own_solution(session: Session, user: User, solution_id: int, action: str) -> Solution:
    solution = access.load_visible(session, user, Solution, solution_id, "产品", solution_rules.can)
    solution_rules.require(user, action, solution)
    return solution


@router.get("/provider/solutions/{solution_id}/edit", response_class=HTMLResponse,
            openapi_extra=requires(PROVIDER))
def edit_solution_form(request: Request, session: SessionDep, user: ProviderUser, solution_id: int) -> HTMLResponse:
    """A solution's edit form (only the provider's own listings)."""
    solution = _own_solution(session, user, solution_id, access.EDIT)
    revision = _open_revision(session, solution)
    return _solution_page(request, solution, lf.form_values(solution, lf.SOLUTION_TEXT, revision), {},
                          revision=revision)


@router.post("/provider/solutions/{solution_id}/edit", openapi_extra=requires(PROVIDER))
def edit_solution_submit(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected,
                         form: FormDep, solution_id: int) -> Response:
    """Save a listing: published, the changes wait for review while the published version stays."""
    solution = _own_solution(session, user, solution_id, access.EDIT)
    raw = lf.solution_data(form)
    raw["code"] = raw["code"] or solution.code
    data, errors = validate(SolutionUpdate, raw)
    if data is None:
        return _solution_page(request, solution, lf.raw_values(form, lf.SOLUTION_TEXT), errors, 422,
                              _open_revision(session, solution))
    back = f"/provider/solutions/{solution.id}/edit"
    try:
        outcome = revisions.edit_listing(session=session, user=user, record=solution, data=data,
                                         expected_version=read_version(form))
    except MarketError as error:
        return flash_redirect(request, back, error.message, "error")
    return flash_redirect(request, "/provider/solutions", *lf.saved_message(solution, outcome))


@router.post("/provider/solutions/{solution_id}/withdraw", openapi_extra=requires(PROVIDER))
def withdraw_solution(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected,
                      solution_id: int) -> Response:
    """Withdraw a listing from the pool for good (退出)."""
    solution = access.load_visible(session, user, Solution, solution_id, "产品", solution_rules.can)
    review.withdraw(session=session, user=user, solution=solution)
    return flash_redirect(request, "/provider/solutions", f"已撤回“{solution.name}”")

