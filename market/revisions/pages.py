"""The bureau's review of revisions: a provider's edit of a published listing, shown field by
field (published → proposed), approved (it replaces the published version) or rejected with
a reason (the published version stays; the provider sees the reason)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from catalog.errors import Forbidden, MarketError, NotFound
from catalog.providers.models import Provider
from catalog.revisions import permissions as revision_rules
from catalog.revisions import queries as revision_queries
from catalog.revisions import service as revisions
from catalog.revisions.models import Revision
from catalog.solutions.models import Solution
from catalog.users.models import User
from market.deps import BureauUser, CsrfProtected, SessionDep
from market.permissions.declared import BUREAU, requires
from market.templating import render
from market.web.forms import FormDep, text
from market.web.labels import label, show
from market.web.page_common import flash_redirect

router = APIRouter(include_in_schema=False)

QUEUE_URL = "/bureau/review"
KINDS = {"provider": "服务商资料", "solution": "产品和方案"}


@dataclass
class QueueLine:
    revision: Revision
    kind: str
    name: str
    provider_name: str


def pending_lines(session: Session, user: User) -> list[QueueLine]:
    """The revisions waiting for this bureau, oldest first, named by their listing."""
    lines = []
    for revision in revision_queries.review_queue(session=session, user=user):
        record = revisions.target(session=session, revision=revision)
        provider = session.get(Provider, revision.provider_id)
        lines.append(QueueLine(revision, KINDS[revision.record_type], record.name,
                               provider.name if provider else ""))
    return lines


def _diff_rows(record: Provider | Solution, revision: Revision) -> list[dict[str, str]]:
    return [{"label": label(revision.record_type, name), "before": show(name, before), "after": show(name, after)}
            for name, before, after in revisions.diff(record=record, revision=revision)]


@router.get("/bureau/revisions/{revision_id}", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def revision_page(request: Request, session: SessionDep, user: BureauUser, revision_id: int) -> HTMLResponse:
    """One revision: the field-by-field diff against the published version and the decision form."""
    revision = revisions.get_revision(session=session, revision_id=revision_id)
    revision_rules.require_review_revision(user, revision, session)
    record = revisions.target(session=session, revision=revision)
    context: dict[str, Any] = {
        "revision": revision,
        "record": record,
        "kind_label": KINDS[revision.record_type],
        "provider": session.get(Provider, revision.provider_id),
        "diff": _diff_rows(record, revision),
        "public_url": f"/{'solutions' if revision.record_type == 'solution' else 'providers'}/{record.id}",
    }
    return render(request, "bureau/revision_item.html", context)


@router.post("/bureau/revisions/{revision_id}", openapi_extra=requires(BUREAU))
def revision_decide(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                    form: FormDep, revision_id: int) -> Response:
    """Approve (the proposed values go live) or reject with a reason (the published version stays)."""
    revision = revisions.get_revision(session=session, revision_id=revision_id)
    decision, remark = text(form, "decision"), text(form, "remark")  # its rules are the service's
    try:
        record = revisions.decide(session=session, user=user, revision=revision, decision=decision, remark=remark)
    except (NotFound, Forbidden):
        raise  # who may not decide gets the error page, as on the revision's page
    except MarketError as error:
        return flash_redirect(request, f"/bureau/revisions/{revision_id}", error.message, "error")
    if decision == "approve":
        return flash_redirect(request, QUEUE_URL, f"已通过修改：{record.name}（公开内容已更新）")
    return flash_redirect(request, QUEUE_URL, f"已驳回修改：{record.name}（公开内容不变）")
