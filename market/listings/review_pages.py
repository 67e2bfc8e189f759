"""The bureau's review queue: new listings waiting in 待审核, each with a diff of what changed
since the last approval, approved, sent back for changes, or refused; and the revisions of
published listings (market/revisions/pages.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from catalog import access
from catalog.errors import Forbidden, InvalidTransition, MarketError, NotFound
from catalog.providers import permissions as provider_rules
from catalog.providers import review
from catalog.providers.models import Provider
from catalog.providers.queue import review_queue
from catalog.solutions import permissions as solution_rules
from catalog.solutions.models import Solution
from catalog.users.models import User
from market.deps import BureauUser, CsrfProtected, SessionDep
from market.listings.changes import pending_changes
from market.permissions.declared import BUREAU, requires
from market.revisions.pages import pending_lines
from market.templating import render
from market.web.forms import FormDep, text
from market.web.labels import PROVIDER_LABELS, SOLUTION_LABELS, show
from market.web.page_common import flash_redirect, redirect

router = APIRouter(include_in_schema=False)

QUEUE_URL = "/bureau/review"
KINDS = {"provider": "服务商", "solution": "产品和方案"}
DECISIONS = review.DECISIONS


@router.get("/bureau", response_class=RedirectResponse, openapi_extra=requires(BUREAU))
def bureau_home(user: BureauUser) -> RedirectResponse:
    """The bureau's landing page is its review queue."""
    return redirect(QUEUE_URL)


@router.get(QUEUE_URL, response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def queue(request: Request, session: SessionDep, user: BureauUser) -> HTMLResponse:
    """Listings waiting for this bureau: fresh submissions first, then those sent back."""
    waiting = review_queue(session=session, user=user)
    names = dict(session.exec(select(Provider.id, Provider.name).where(
        col(Provider.id).in_({s.provider_id for s in waiting.solutions} or {-1}))).all())
    context = {
        "providers": waiting.providers,
        "solutions": waiting.solutions,
        "returned": [("provider" if isinstance(r, Provider) else "solution", r) for r in waiting.sent_back],
        "provider_names": names,
        "applications": waiting.applications,
        "revisions": pending_lines(session, user),
    }
    return render(request, "bureau/review_queue.html", context)


def _record(session: Session, user: User, kind: str, record_id: int) -> Provider | Solution:
    """The listing under review, 404 like the API's when this bureau may not see it."""
    if kind == "provider":
        return access.load_visible(session, user, Provider, record_id, "服务商", provider_rules.can)
    if kind == "solution":
        return access.load_visible(session, user, Solution, record_id, "产品", solution_rules.can)
    raise NotFound("not_found", "页面不存在")


@router.get(QUEUE_URL + "/{kind}/{record_id}", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def review_page(request: Request, session: SessionDep, user: BureauUser, kind: str, record_id: int) -> HTMLResponse:
    """One listing under review: what changed, the whole record, the decision form."""
    record = _record(session, user, kind, record_id)
    if not review.may(user, access.CHANGE_STATUS, record):
        access.refuse(access.CHANGE_STATUS)
    labels = PROVIDER_LABELS if kind == "provider" else SOLUTION_LABELS
    fields = [(labels[name], show(name, getattr(record, name))) for name in labels
              if name not in ("status", "review_remark", "excellent", "lead_provider_id", "provider_id")]
    provider = session.get(Provider, record.provider_id) if isinstance(record, Solution) else None
    context = {
        "kind": kind,
        "kind_label": KINDS[kind],
        "record": record,
        "provider": provider,
        "fields": fields,
        "pending": pending_changes(session, kind, record_id),
        "decisions": DECISIONS,
    }
    return render(request, "bureau/review_item.html", context)


@router.post(QUEUE_URL + "/{kind}/{record_id}", openapi_extra=requires(BUREAU))
def review_decide(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                  form: FormDep, kind: str, record_id: int) -> Response:
    """Approve (已入库), send back for changes (stays 待审核 with the remark), or refuse (退出)."""
    record = _record(session, user, kind, record_id)
    decision, remark = text(form, "decision"), text(form, "remark")
    back = f"{QUEUE_URL}/{kind}/{record_id}"
    try:
        review.decide(session=session, user=user, record=record, decision=decision, remark=remark)
    except Forbidden:
        raise  # a bureau that may only look gets the refusal page, as from the API
    except InvalidTransition as error:  # decided meanwhile (another tab, a colleague): back to the queue
        return flash_redirect(request, QUEUE_URL, error.message, "warning")
    except MarketError as error:
        return flash_redirect(request, back, error.message, "error")
    return flash_redirect(request, QUEUE_URL, f"已{DECISIONS[decision]}：{record.name}")

