"""The bureau's review queue: new listings waiting in 待审核, each with a diff of what changed
since the last approval, approved, sent back for changes, or refused; and the revisions of
published listings (market/revisions/pages.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from catalog import service_core
from catalog.errors import MarketError, NotFound
from catalog.notifications import notices
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution
from catalog.users.models import User
from catalog.users.service import actor_of
from market import permissions as perm
from market.deps import BureauUser, CsrfProtected, SessionDep
from market.listings.changes import pending_changes
from market.permissions.declared import BUREAU, requires
from market.provider_applications.pages import application_lines
from market.revisions.pages import pending_lines
from market.templating import render
from market.web.forms import FormDep, text
from market.web.labels import PROVIDER_LABELS, SOLUTION_LABELS, show
from market.web.page_common import flash_redirect, redirect

router = APIRouter(include_in_schema=False)

QUEUE_URL = "/bureau/review"
KINDS = {"provider": "服务商", "solution": "产品和方案"}
DECISIONS = {"approve": "通过", "return": "退回修改", "refuse": "不予入库"}


@router.get("/bureau", response_class=RedirectResponse, openapi_extra=requires(BUREAU))
def bureau_home(user: BureauUser) -> RedirectResponse:
    """The bureau's landing page is its review queue."""
    return redirect(QUEUE_URL)


def _pending(session: Session, user: User, model: Any, visible: Any) -> list[Any]:
    statement = visible(user, select(model)).where(model.status == ListingStatus.PENDING)
    rows = list(session.exec(statement.order_by(col(model.updated_at))).all())
    return [r for r in rows if perm.can(user, perm.CHANGE_STATUS, r)]


@router.get(QUEUE_URL, response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def queue(request: Request, session: SessionDep, user: BureauUser) -> HTMLResponse:
    """Listings waiting for this bureau: fresh submissions first, then those sent back."""
    applications = application_lines(session, user)  # 服务商入驻: shown apart, decided on their own page
    applied = {p.id for _, p in applications}
    providers = [p for p in _pending(session, user, Provider, perm.visible_providers) if p.id not in applied]
    solutions = _pending(session, user, Solution, perm.visible_solutions)
    names = dict(session.exec(select(Provider.id, Provider.name).where(
        col(Provider.id).in_({s.provider_id for s in solutions} or {-1}))).all())
    context = {
        "providers": [p for p in providers if not p.review_remark],
        "solutions": [s for s in solutions if not s.review_remark],
        "returned": [("provider", p) for p in providers if p.review_remark]
        + [("solution", s) for s in solutions if s.review_remark],
        "provider_names": names,
        "applications": applications,
        "revisions": pending_lines(session, user),
    }
    return render(request, "bureau/review_queue.html", context)


def _record(session: Session, kind: str, record_id: int) -> Provider | Solution:
    if kind == "provider":
        return provider_service.get_provider(session=session, provider_id=record_id)
    if kind == "solution":
        return solution_service.get_solution(session=session, solution_id=record_id)
    raise NotFound("not_found", "页面不存在")


@router.get(QUEUE_URL + "/{kind}/{record_id}", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def review_page(request: Request, session: SessionDep, user: BureauUser, kind: str, record_id: int) -> HTMLResponse:
    """One listing under review: what changed, the whole record, the decision form."""
    record = _record(session, kind, record_id)
    perm.require(user, perm.CHANGE_STATUS, record)
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
    record = _record(session, kind, record_id)
    perm.require(user, perm.CHANGE_STATUS, record)
    decision, remark = text(form, "decision"), text(form, "remark")[:500]
    back = f"{QUEUE_URL}/{kind}/{record_id}"
    if decision not in DECISIONS:
        return flash_redirect(request, back, "请选择审核结论", "error")
    if decision != "approve" and not remark:
        return flash_redirect(request, back, f"“{DECISIONS[decision]}”需要填写审核意见", "error")
    if record.status != ListingStatus.PENDING:
        return flash_redirect(request, QUEUE_URL, f"“{record.name}”已不在待审核状态（当前：{record.status}）", "warning")
    try:
        _apply(session, record, decision, remark, actor_of(user))
        notices.review_decided(session=session, record=record, decision=decision, remark=remark or None)
    except MarketError as error:
        return flash_redirect(request, back, error.message, "error")
    return flash_redirect(request, QUEUE_URL, f"已{DECISIONS[decision]}：{record.name}")


def _apply(session: Session, record: Provider | Solution, decision: str, remark: str, actor: str) -> None:
    if decision == "return":
        record_type = "solution" if isinstance(record, Solution) else "provider"
        service_core.apply_changes(session=session, record=record, record_type=record_type,
                                      changes={"review_remark": remark}, actor=actor)
        session.flush()
        return
    status = ListingStatus.PUBLISHED if decision == "approve" else ListingStatus.RETIRED
    if isinstance(record, Solution):
        solution_service.change_solution_status(session=session, solution=record, status=status,
                                               actor=actor, remark=remark or None)
    else:
        provider_service.change_provider_status(session=session, provider=record, status=status,
                                               actor=actor, remark=remark or None)
