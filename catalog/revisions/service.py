"""Editing a listing: the one place that decides what a provider's edit does.

A bureau's edit, and a provider's edit of a listing not yet published, change the live row
at once (a listing the bureau sent back for changes then shows as resubmitted, and the bureau
of its region is told it waits again, as for a new listing: catalog/solutions/service.py). A
provider's edit of a published provider or solution changes the fields that do not change what is
offered (contact person, phone) at once, audited, and puts the rest into a pending Revision;
the published version stays live, and in the search index, until a bureau approves the
revision (its values replace the live ones) or rejects it with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from catalog import access, writes
from catalog.audit import service as audit
from catalog.errors import InvalidTransition, NotFound, ValidationFailed
from catalog.notifications import notices
from catalog.providers import permissions as provider_rules
from catalog.providers import review
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.providers.schemas import ProviderUpdate
from catalog.records import utcnow
from catalog.revisions import permissions as revision_rules
from catalog.revisions.models import Revision, RevisionStatus
from catalog.solutions import permissions as solution_rules
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution
from catalog.solutions.schemas import SolutionUpdate
from catalog.users.models import User
from catalog.users.service import actor_of

Listing = Provider | Solution
# Fields that do not change what is offered: a provider's edit of them takes effect at once.
IMMEDIATE: dict[str, frozenset[str]] = {
    "provider": frozenset({"contact_name", "contact_phone"}),
    "solution": frozenset(),
}
OPEN = (RevisionStatus.PENDING.value, RevisionStatus.REJECTED.value)
_UNORDERED = frozenset({"industries", "scenarios"})  # ticked from a list: their order means nothing


@dataclass
class EditOutcome:
    """What an edit did: fields changed on the live record, and the revision (if any) now pending."""

    applied: list[str] = field(default_factory=list)
    revision: Revision | None = None

    @property
    def changed(self) -> bool:
        return bool(self.applied) or self.revision is not None


def record_type_of(record: Listing) -> str:
    return record.audit_type


def provider_id_of(record: Listing) -> int:
    return int((record.provider_id if isinstance(record, Solution) else record.id) or 0)


def edit_listing(*, session: Session, user: User, record: Listing, data: ProviderUpdate | SolutionUpdate,
                 expected_version: int | None) -> EditOutcome:
    """`user`'s edit of a provider or solution, as every front door makes it: the user must
    be allowed to edit the record and each field changed; the provider's own edit of a
    published record becomes a pending revision (its contact fields apply at once), anyone
    else's (a bureau's) applies to the live row."""
    changes = data.model_dump(exclude_unset=True)
    if isinstance(record, Solution):
        solution_rules.require(user, access.EDIT, record)
        solution_rules.require_fields(user, record, changes)
    else:
        provider_rules.require(user, access.EDIT, record)
        provider_rules.require_fields(user, record, changes)
    writes.require_version(record, expected_version)
    actor, reviewed = actor_of(user), revision_rules.edits_need_review(user, record)
    if not reviewed or record.status != ListingStatus.PUBLISHED:
        return _edit_live(session=session, record=record, changes=changes, actor=actor, resubmit=reviewed)
    record_type = record_type_of(record)
    now = {k: v for k, v in changes.items() if k in IMMEDIATE[record_type]}
    later = {k: v for k, v in changes.items() if k not in IMMEDIATE[record_type]}
    outcome = _edit_live(session=session, record=record, changes=now, actor=actor, resubmit=False)
    outcome.revision = _propose(session=session, record=record, changes=later, actor=actor)
    return outcome


def _edit_live(*, session: Session, record: Listing, changes: dict[str, Any], actor: str,
               resubmit: bool) -> EditOutcome:
    """Change the live row (uniqueness checked, audited, re-indexed)."""
    before = {name: audit.jsonable(getattr(record, name)) for name in changes}
    if isinstance(record, Solution):
        solution_service.update_solution(session=session, solution=record, data=SolutionUpdate.model_validate(changes),
                                 actor=actor)
    else:
        provider_service.update_provider(session=session, provider=record, data=ProviderUpdate.model_validate(changes),
                                 actor=actor)
    applied = [name for name in changes if audit.jsonable(getattr(record, name)) != before[name]]
    if applied and resubmit and record.status == ListingStatus.PENDING and record.review_remark:
        writes.update(session=session, record=record, changes={"review_remark": None}, actor=actor)
        notices.listing_submitted(session=session, record=record, what="重新提交")
    return EditOutcome(applied=applied)


def _same(name: str, proposed: Any, live: Any) -> bool:
    """Equal values; for the chosen-from-a-list fields, the same choices in any order."""
    if name in _UNORDERED and isinstance(proposed, list) and isinstance(live, list):
        return sorted(map(str, proposed)) == sorted(map(str, live))
    return bool(proposed == live)


def differences(record: Listing, changes: dict[str, Any]) -> dict[str, Any]:
    """The proposed values that differ from the record's live ones (JSON-safe)."""
    return {name: audit.jsonable(value) for name, value in changes.items()
            if not (value is None and name in record.not_null)
            and not _same(name, audit.jsonable(value), audit.jsonable(getattr(record, name)))}


def _propose(*, session: Session, record: Listing, changes: dict[str, Any], actor: str) -> Revision | None:
    """Create or update the record's pending revision; a revision left with no change is withdrawn."""
    record_type = record_type_of(record)
    pending = pending_revision(session=session, record_type=record_type, record_id=int(record.id or 0))
    merged = differences(record, {**(pending.changes if pending else {}), **changes})
    _check_keys(session=session, record=record, changes=merged)
    if pending is None and not merged:
        return None
    before = None if pending is None else {"status": pending.status, "changes": pending.changes}
    revision = pending or Revision(record_type=record_type, record_id=int(record.id or 0),
                                   provider_id=provider_id_of(record), author=actor)
    if pending is not None and merged == pending.changes:
        return pending
    revision.changes, revision.author, revision.updated_at = merged, actor, utcnow()
    revision.status = RevisionStatus.PENDING.value if merged else RevisionStatus.WITHDRAWN.value
    session.add(revision)
    session.flush()
    _audit(session, revision, actor, "revision_propose", before)
    if merged and pending is None:
        notices.listing_submitted(session=session, record=record, what="修改", link=f"/bureau/revisions/{revision.id}")
    return revision if merged else None


def _check_keys(*, session: Session, record: Listing, changes: dict[str, Any]) -> None:
    """A proposed product code or USCC another record holds is refused now, not at approval."""
    if isinstance(record, Solution) and "code" in changes:
        solution_service.require_code_free(session=session, code=changes["code"], exclude_id=record.id)
    if isinstance(record, Provider) and "uscc" in changes:
        provider_service.require_uscc_free(session=session, uscc=changes["uscc"], exclude_id=record.id)


def _audit(session: Session, revision: Revision, actor: str, action: str, before: dict[str, Any] | None) -> None:
    audit.append(session=session, actor=actor, action=action, record_type="revision",
                 record_key=str(revision.id),
                 before=before, after={"record": f"{revision.record_type}:{revision.record_id}",
                                       "status": revision.status, "changes": revision.changes,
                                       "remark": revision.remark})


# --- reading ------------------------------------------------------------------------------


def get_revision(*, session: Session, revision_id: int) -> Revision:
    """The revision with this id, or NotFound."""
    revision = session.get(Revision, revision_id)
    if revision is None:
        raise NotFound(f"未找到编号为 {revision_id} 的修改")
    return revision


def pending_revision(*, session: Session, record_type: str, record_id: int) -> Revision | None:
    """The record's revision waiting for review, if any."""
    return session.exec(select(Revision).where(
        Revision.record_type == record_type, Revision.record_id == record_id,
        Revision.status == RevisionStatus.PENDING.value)).first()


def open_revisions(*, session: Session, record_type: str, record_ids: list[int]) -> dict[int, Revision]:
    """Per record, its latest revision if it is still open (待审核, or 已驳回 and not yet redone)."""
    if not record_ids:
        return {}
    rows = session.exec(select(Revision).where(
        Revision.record_type == record_type, col(Revision.record_id).in_(record_ids))
        .order_by(col(Revision.id))).all()
    latest = {r.record_id: r for r in rows}
    return {rid: r for rid, r in latest.items() if r.status in OPEN}


def target(*, session: Session, revision: Revision) -> Listing:
    """The provider or solution a revision edits."""
    if revision.record_type == "solution":
        return solution_service.get_solution(session=session, solution_id=revision.record_id)
    return provider_service.get_provider(session=session, provider_id=revision.record_id)


def diff(*, record: Listing, revision: Revision) -> list[tuple[str, Any, Any]]:
    """(field, published value, proposed value) of each field the revision changes: against the
    live record while pending, against the values the bureau saw once decided."""
    if revision.before is not None:
        return [(name, revision.before.get(name), value) for name, value in revision.changes.items()]
    return [(name, audit.jsonable(getattr(record, name)), value) for name, value in revision.changes.items()]


# --- the bureau's decision ------------------------------------------------------------------


def _require_pending(revision: Revision, record: Listing) -> None:
    if revision.status != RevisionStatus.PENDING:
        raise InvalidTransition(f"该修改已处理（当前：{revision.status}）", code="revision_decided")
    if record.status == ListingStatus.RETIRED:
        raise InvalidTransition(f"该{record.label}已退出，修改不能再生效", code="record_retired")


def approve_revision(*, session: Session, revision: Revision, actor: str, remark: str = "") -> Listing:
    """The revision's values replace the published ones (audited, re-indexed)."""
    remark = review.clean_remark(remark)
    record = target(session=session, revision=revision)
    _require_pending(revision, record)
    _check_keys(session=session, record=record, changes=revision.changes)
    revision.before = {name: before for name, before, _ in diff(record=record, revision=revision)}
    _edit_live(session=session, record=record, changes=_validated(revision), actor=actor, resubmit=False)
    _decide(session, revision, RevisionStatus.APPROVED, actor, remark or None)
    notices.revision_decided(session=session, record=record, approved=True, remark=remark or None)
    return record


def reject_revision(*, session: Session, revision: Revision, actor: str, remark: str) -> Revision:
    """Refuse a revision with a reason; the published version stays, the provider may edit again."""
    remark = review.clean_remark(remark)
    if not remark:
        raise ValidationFailed("remark_required", "驳回修改需要填写理由（服务商可以看到）",
                               details=[{"field": "remark", "message": "驳回修改需要填写理由"}])
    record = target(session=session, revision=revision)
    _require_pending(revision, record)
    revision.before = {name: before for name, before, _ in diff(record=record, revision=revision)}
    _decide(session, revision, RevisionStatus.REJECTED, actor, remark)
    notices.revision_decided(session=session, record=record, approved=False, remark=remark)
    return revision


DECISIONS = ("approve", "reject")


def decide(*, session: Session, user: User, revision: Revision, decision: str, remark: str = "") -> Listing:
    """`user`'s decision on a revision, as every front door takes it: only the bureau of its
    listing's region (NotFound to who may not see the revision, Forbidden to its provider), then
    "approve" (`approve_revision`) or "reject" (`reject_revision`, a reason required), audited as
    that user; anything else is refused. Returns the listing."""
    revision_rules.require_review_revision(user, revision, session)
    if decision not in DECISIONS:
        raise ValidationFailed("decision_required", "请选择审核结论")
    if decision == "approve":
        return approve_revision(session=session, revision=revision, actor=actor_of(user), remark=remark)
    reject_revision(session=session, revision=revision, actor=actor_of(user), remark=remark)
    return target(session=session, revision=revision)


def _validated(revision: Revision) -> dict[str, Any]:
    schema = SolutionUpdate if revision.record_type == "solution" else ProviderUpdate
    return schema.model_validate(revision.changes).model_dump(exclude_unset=True)


def _decide(session: Session, revision: Revision, status: RevisionStatus, actor: str, remark: str | None) -> None:
    before = {"status": revision.status, "changes": revision.changes}
    revision.status, revision.remark = status.value, remark
    revision.reviewed_by, revision.reviewed_at = actor, utcnow()
    revision.updated_at = revision.reviewed_at
    session.add(revision)
    session.flush()
    _audit(session, revision, actor, f"revision_{'approve' if status == RevisionStatus.APPROVED else 'reject'}",
           before)
