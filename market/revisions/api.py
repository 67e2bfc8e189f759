"""JSON API: 修改待审核 (revisions) — a provider's pending edits of its published profile or
listings, and the bureau's approval or rejection of them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlmodel import Session

from catalog.revisions import permissions as revision_rules
from catalog.revisions import queries as revision_queries
from catalog.revisions import service as revisions
from catalog.revisions.models import (
    FieldDiff,
    Revision,
    RevisionDecision,
    RevisionPublic,
    RevisionsPublic,
    RevisionStatus,
)
from catalog.revisions.queries import RevisionFilter
from catalog.users.models import User
from market.deps import CurrentUser, SessionDep
from market.permissions.declared import BUREAU, LOGGED_IN, PROVIDER, requires
from market.web.api_common import (
    LIST_ERRORS,
    MAX_ID,
    READ_ERRORS,
    WRITE_ERRORS,
    Page,
    PerPage,
    RecordId,
    out,
)
from market.web.labels import label

router = APIRouter(prefix="/api/revisions", tags=["修改审核"])


def public(session: Session, revision: Revision) -> RevisionPublic:
    """A revision with its listing's name and the field-by-field diff against the published version."""
    record = revisions.target(session=session, revision=revision)
    diff = [FieldDiff(field=name, label=label(revision.record_type, name), before=before, after=after)
            for name, before, after in revisions.diff(record=record, revision=revision)]
    return out(RevisionPublic, revision, record_name=record.name, diff=diff)


def _load(session: Session, user: User, revision_id: int) -> Revision:
    revision = revisions.get_revision(session=session, revision_id=revision_id)
    revision_rules.require_view_revision(user, revision, session)
    return revision


@router.get("", response_model=RevisionsPublic, responses=LIST_ERRORS, summary="修改列表（服务商本机构的、主管部门辖区的）",
            openapi_extra=requires(LOGGED_IN))
def list_revisions(
    session: SessionDep, user: CurrentUser, page: Page = 1, per_page: PerPage = 20,
    status: Annotated[RevisionStatus | None, Query(description="状态")] = None,
    record_type: Annotated[Literal["provider", "solution"] | None, Query(description="记录类别")] = None,
    record_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="服务商或产品的编号")] = None,
    to_review: Annotated[bool, Query(description="只看等待本主管部门审核的（与审核页的修改待审核相同；记录已退出的不在其中）")] = False,
) -> RevisionsPublic:
    chosen = RevisionFilter(to_review=to_review, status=status.value if status else "", record_type=record_type or "",
                            record_id=record_id)
    found = revision_queries.list_revisions(session=session, user=user, chosen=chosen, page=page, per_page=per_page)
    return RevisionsPublic(data=[public(session, r) for r in found.rows], count=found.total)


@router.get("/{revision_id}", response_model=RevisionPublic, responses=READ_ERRORS, summary="修改详情（逐项对比）",
            openapi_extra=requires(BUREAU | PROVIDER))
def read_revision(session: SessionDep, user: CurrentUser, revision_id: RecordId) -> RevisionPublic:
    return public(session, _load(session, user, revision_id))


@router.post("/{revision_id}/approve", response_model=RevisionPublic, responses=WRITE_ERRORS,
             summary="通过修改（替换公开内容）", openapi_extra=requires(BUREAU))
def approve(session: SessionDep, user: CurrentUser, revision_id: RecordId, body: RevisionDecision) -> RevisionPublic:
    revision = revisions.get_revision(session=session, revision_id=revision_id)
    revisions.decide(session=session, user=user, revision=revision, decision="approve", remark=body.remark)
    return public(session, revision)


@router.post("/{revision_id}/reject", response_model=RevisionPublic, responses=WRITE_ERRORS,
             summary="驳回修改（须填写理由；公开内容不变）", openapi_extra=requires(BUREAU))
def reject(session: SessionDep, user: CurrentUser, revision_id: RecordId, body: RevisionDecision) -> RevisionPublic:
    revision = revisions.get_revision(session=session, revision_id=revision_id)
    revisions.decide(session=session, user=user, revision=revision, decision="reject", remark=body.remark)
    return public(session, revision)
