"""Lead pages: the provider's leads with why each fits and its answer (/provider/leads),
and who contacted whom for the bureau (/bureau/leads)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from catalog.errors import MarketError
from catalog.leads import permissions as lead_rules
from catalog.leads import service as lead_service
from catalog.leads.models import LEADS_MAX, LeadAnswer, LeadMark
from catalog.providers import service as provider_service
from catalog.users.service import actor_of
from market.deps import BureauUser, CsrfProtected, ProviderUser, SessionDep
from market.leads import ranking as leads
from market.permissions.declared import BUREAU, PROVIDER, requires
from market.templating import render
from market.web.forms import FormDep, text
from market.web.page_common import flash_redirect

router = APIRouter(include_in_schema=False)


@router.get("/provider/leads", response_class=HTMLResponse, openapi_extra=requires(PROVIDER))
def lead_list(request: Request, session: SessionDep, user: ProviderUser) -> HTMLResponse:
    """The provider's leads, unanswered first, best fit first."""
    provider = provider_service.provider_of(session=session, user=user)
    lead_rules.require_answer_leads(user, provider)
    found = leads.provider_leads(session, provider.id or 0, limit=LEADS_MAX)
    return render(request, "provider/leads.html", {"provider": provider, "leads": found,
                                                   "answers": [a.value for a in LeadAnswer]})


@router.post("/provider/leads/{need_id}", openapi_extra=requires(PROVIDER))
def lead_answer(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected, need_id: int,
                form: FormDep) -> Response:
    """Mark one lead contacted or not relevant."""
    provider = provider_service.provider_of(session=session, user=user)
    try:
        mark = LeadMark(answer=text(form, "answer"), note=text(form, "note"))  # type: ignore[arg-type]
    except ValidationError:
        return flash_redirect(request, "/provider/leads", "请选择“已联系”或“不相关”，备注不超过 500 字", "error")
    try:
        need = leads.lead_of(session, user, provider, need_id)
        lead_service.answer(session=session, provider=provider, need=need, mark=mark, actor=actor_of(user))
    except MarketError as error:
        return flash_redirect(request, "/provider/leads", error.message, "error")
    session.commit()
    return flash_redirect(request, "/provider/leads", f"已标记为“{mark.answer}”")


@router.get("/bureau/leads", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def lead_contacts(request: Request, session: SessionDep, user: BureauUser) -> HTMLResponse:
    """Who answered whose lead in the bureau's regions, newest first."""
    rows = lead_service.contacts_seen_by(session=session, user=user)
    return render(request, "bureau/leads.html", {"contacts": rows})
