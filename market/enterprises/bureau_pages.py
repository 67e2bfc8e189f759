"""Bureau pages for enterprises: the list, a new enterprise, a profile, registration edits."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import select

from catalog import access
from catalog.engagements import queries as engagement_queries
from catalog.engagements.queries import EngagementFilter
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises import queries as enterprise_queries
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise, EnterpriseSize
from catalog.enterprises.queries import EnterpriseFilter
from catalog.enterprises.schemas import EnterpriseCreate, EnterpriseUpdate
from catalog.errors import MarketError
from catalog.taxonomy import taxonomy
from catalog.users.models import User
from market.deps import BureauUser, CsrfProtected, SessionDep
from market.permissions.declared import BUREAU, requires
from market.templating import render
from market.web.forms import FormDep, optional, read_version, text, validate
from market.web.page_common import PER_PAGE, Page, flash_redirect, industry_choices, parse_int

router = APIRouter(include_in_schema=False)
FILTER_KEYS = ("q", "region", "industry", "size", "level")
REGISTRATION = ("region", "industry", "size", "srdi_tier", "level", "budget_wan", "batch")  # what the bureau keeps
NEW_URL = "/bureau/enterprises/new"
CLEARABLE = ("budget_wan", "batch")


def _registration_choices(session: SessionDep, user: User) -> dict[str, object]:
    """What the selects of the registration forms offer: the bureau's regions (and those of its
    enterprises), the industries, sizes, tiers, levels and batches."""
    within = enterprise_rules.visible_enterprises(user, select(Enterprise))
    tax = taxonomy()
    return {
        "region_choices": enterprise_queries.region_choices(session=session, within=within,
                                                            regions=access.bureau_regions(user)),
        "batch_choices": [(str(n), f"第{n}批") for n in enterprise_queries.batch_choices(session=session, within=within)],
        "industry_choices": industry_choices(), "level_choices": list(tax.levels),
        "srdi_choices": tax.srdi_tiers, "size_choices": tuple(EnterpriseSize),
    }


@router.get("/bureau/enterprises", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def enterprises(request: Request, session: SessionDep, user: BureauUser) -> HTMLResponse:
    """The pilot enterprises in this bureau's regions."""
    chosen = {k: request.query_params.get(k, "").strip()[:60] for k in FILTER_KEYS}
    found = enterprise_queries.list_enterprises(
        session=session, within=enterprise_rules.visible_enterprises(user, select(Enterprise)),
        chosen=EnterpriseFilter(**chosen, batch=parse_int(request.query_params.get("batch"))),
        page=parse_int(request.query_params.get("page"), 1) or 1, per_page=PER_PAGE, clamp=True)
    page = Page(items=found.rows, total=found.total, page=found.page, per_page=found.per_page)
    context = {"page": page, "chosen": chosen, "industry_choices": industry_choices(),
               "level_choices": list(taxonomy().levels)}
    return render(request, "bureau/enterprises.html", context)


@router.get(NEW_URL, response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def enterprise_new(request: Request, session: SessionDep, user: BureauUser) -> HTMLResponse:
    """The form for a new pilot enterprise of the bureau's regions."""
    return _new_form(request, session, user, {}, {})


def _new_form(request: Request, session: SessionDep, user: User, values: dict[str, str],
              errors: dict[str, str], status_code: int = 200) -> HTMLResponse:
    context = {"values": values, "errors": errors, **_registration_choices(session, user)}
    return render(request, "bureau/enterprise_new.html", context, status_code=status_code)


@router.post("/bureau/enterprises", openapi_extra=requires(BUREAU))
def enterprise_create(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                      form: FormDep) -> Response:
    """Register a pilot enterprise (as POST /api/enterprises: the bureau of its region, the USCC free)."""
    values = {n: text(form, n) for n in ("name", "uscc", *REGISTRATION)}
    data, errors = validate(EnterpriseCreate, {k: v for k, v in values.items() if v})
    if data is None:
        return _new_form(request, session, user, values, errors, status_code=400)
    try:
        enterprise = enterprise_service.register_enterprise(session=session, user=user, data=data)
    except MarketError as error:
        return _new_form(request, session, user, values, {"form": error.message}, status_code=error.status)
    return flash_redirect(request, f"/bureau/enterprises/{enterprise.id}", f"已登记“{enterprise.name}”")


@router.get("/bureau/enterprises/{enterprise_id}", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def enterprise_detail(request: Request, session: SessionDep, user: BureauUser, enterprise_id: int) -> HTMLResponse:
    """One enterprise: registration (editable), privacy choices, needs, engagements."""
    enterprise = access.load_visible(session, user, Enterprise, enterprise_id, "试点企业", enterprise_rules.can)
    needs = enterprise_queries.visible_needs_of(session=session, user=user, enterprise=enterprise)
    found = engagement_queries.list_engagements(session=session, user=user, per_page=engagement_queries.PAGE_ROWS,
                                                chosen=EngagementFilter(enterprise_id=enterprise.id))
    engagements = engagement_queries.with_listings(session=session, rows=found.rows)
    context = {
        "enterprise": enterprise, "needs": needs, "engagements": engagements,
        "can_edit": enterprise_rules.can(user, access.EDIT, enterprise), **_registration_choices(session, user),
    }
    return render(request, "bureau/enterprise_detail.html", context)


@router.post("/bureau/enterprises/{enterprise_id}", openapi_extra=requires(BUREAU))
def enterprise_update(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                      form: FormDep, enterprise_id: int) -> Response:
    """Correct an enterprise's registration: region, industry, size, tier, level, budget, batch."""
    enterprise = access.load_visible(session, user, Enterprise, enterprise_id, "试点企业", enterprise_rules.can)
    back = f"/bureau/enterprises/{enterprise_id}"
    sent = {n: optional(text(form, n)) for n in REGISTRATION}
    # a blank choice leaves the field as it is; a blank budget or batch clears it
    data, errors = validate(EnterpriseUpdate, {n: v for n, v in sent.items() if v is not None or n in CLEARABLE})
    if data is None:
        return flash_redirect(request, back, "；".join(errors.values()), "error")
    try:
        enterprise_service.edit_enterprise(session=session, user=user, enterprise=enterprise, data=data,
                                           expected_version=read_version(form))
    except MarketError as error:
        return flash_redirect(request, back, error.message, "error")
    return flash_redirect(request, back, f"已保存“{enterprise.name}”的登记信息")
