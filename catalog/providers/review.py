"""The bureau's decision on a listing (a provider or a solution) and every other change of its
status: the one place the review page, the status API and the bulk actions call.

A listing waiting in 待审核 is reviewed: approved (已入库), sent back for changes (stays 待审核
with the remark, shown to the provider as 退回修改) or refused (退出); sending back and refusing
need a remark, since the provider has to learn why. Its provider's accounts are told the
outcome. A listing past review moves along LISTING_TRANSITIONS (暂停, 退出, back to 已入库 or
to 待审核) with no notice.
"""

from __future__ import annotations

from sqlmodel import Session

from catalog import writes
from catalog.errors import InvalidTransition, ValidationFailed
from catalog.notifications import notices
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution

Listing = Provider | Solution
DECISIONS = {"approve": "通过", "return": "退回修改", "refuse": "不予入库"}
REMARK_LIMIT = 500
# A status asked of a listing in 待审核, as the review decision it means.
_DECIDED_BY_STATUS = {ListingStatus.PUBLISHED: "approve", ListingStatus.PENDING: "return",
                      ListingStatus.RETIRED: "refuse"}


def _set_status(session: Session, record: Listing, status: ListingStatus, actor: str, remark: str | None) -> None:
    if isinstance(record, Solution):
        solution_service.change_solution_status(session=session, solution=record, status=status, actor=actor,
                                                remark=remark)
    else:
        provider_service.change_provider_status(session=session, provider=record, status=status, actor=actor,
                                                remark=remark)


def review_listing(*, session: Session, record: Listing, decision: str, remark: str | None,
                   actor: str) -> Listing:
    """Decide on a listing in 待审核 (approve / return / refuse) and tell its provider; flushes."""
    remark = (remark or "").strip()[:REMARK_LIMIT]
    if decision not in DECISIONS:
        raise ValidationFailed("decision_required", "请选择审核结论（通过、退回修改或不予入库）")
    if decision != "approve" and not remark:
        raise ValidationFailed("remark_required", f"“{DECISIONS[decision]}”需要填写审核意见")
    if record.status != ListingStatus.PENDING:
        raise InvalidTransition(f"“{record.name}”已不在待审核状态（当前：{record.status}）")
    if decision == "return":
        writes.update(session=session, record=record, changes={"review_remark": remark}, actor=actor)
    else:
        status = ListingStatus.PUBLISHED if decision == "approve" else ListingStatus.RETIRED
        _set_status(session, record, status, actor, remark or None)
    notices.review_decided(session=session, record=record, decision=decision, remark=remark or None)
    return record


def change_listing_status(*, session: Session, record: Listing, status: ListingStatus | str, remark: str | None,
                          actor: str) -> Listing:
    """Set a listing's status: for one in 待审核 this is its review (已入库 approves, 退出 refuses,
    待审核 with a remark sends it back); any other moves along LISTING_TRANSITIONS; flushes."""
    wanted = ListingStatus(status)
    if record.status == ListingStatus.PENDING:
        if wanted not in _DECIDED_BY_STATUS:
            raise InvalidTransition(f"状态不能从“{record.status}”变更为“{wanted.value}”")
        return review_listing(session=session, record=record, decision=_DECIDED_BY_STATUS[wanted], remark=remark,
                              actor=actor)
    _set_status(session, record, wanted, actor, (remark or "").strip()[:REMARK_LIMIT] or None)
    return record
