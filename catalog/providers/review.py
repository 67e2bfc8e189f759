"""The bureau's decision on a listing (a provider or a solution) and every other change of its
status: the one place the review page, the status API, the bulk actions and the decision on a
provider application (catalog/provider_applications/service.py) call.

A listing waiting in 待审核 is reviewed: approved (已入库), sent back for changes (stays 待审核
with the remark, shown to the provider as 退回修改) or refused (退出); sending back and refusing
need a remark, since the provider has to learn why. Its provider's accounts are told the
outcome. A listing past review moves along LISTING_TRANSITIONS (暂停, 退出, back to 已入库 or
to 待审核) with no notice.

A bulk action (the bureau's management lists) changes at most `limits.BULK_ITEMS` records;
more is refused as a whole, naming the limit. Each record the bureau may not change, or
whose change the rules refuse, is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sqlmodel import Session

from catalog import access, writes
from catalog.errors import InvalidTransition, MarketError, ValidationFailed
from catalog.limits import BULK_ITEMS, REMARK_CHARS
from catalog.notifications import notices
from catalog.providers import permissions as provider_rules
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions import permissions as solution_rules
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution
from catalog.users.models import User
from catalog.users.service import actor_of

Listing = Provider | Solution
DECISIONS = {"approve": "通过", "return": "退回修改", "refuse": "不予入库"}
REMARK_LIMIT = REMARK_CHARS
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


def clean_remark(remark: str | None) -> str:
    """A reviewer's remark (审核意见, a reason) as stored: trimmed, at most REMARK_LIMIT characters;
    a longer one is refused (ValidationFailed), never cut short. Every review decision reads its
    remark through here: listings, revisions, provider applications."""
    cleaned = (remark or "").strip()
    if len(cleaned) > REMARK_LIMIT:
        raise ValidationFailed("remark_too_long", f"审核意见不能超过 {REMARK_LIMIT} 个字符（现为 {len(cleaned)} 个）",
                               details=[{"field": "remark", "message": f"不能超过 {REMARK_LIMIT} 个字符"}])
    return cleaned


def review_listing(*, session: Session, record: Listing, decision: str, remark: str | None,
                   actor: str) -> Listing:
    """Decide on a listing in 待审核 (approve / return / refuse) and tell its provider; flushes."""
    remark = clean_remark(remark)
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
    _set_status(session, record, wanted, actor, clean_remark(remark) or None)
    return record


# --- as a user acts: the permission, then the change ---------------------------------------


def _require(user: User, action: str, record: Listing) -> None:
    if not may(user, action, record):
        access.refuse(action)


def decide(*, session: Session, user: User, record: Listing, decision: str, remark: str | None) -> Listing:
    """`user`'s review decision on a listing in 待审核 (the bureau of its region only)."""
    _require(user, access.CHANGE_STATUS, record)
    return review_listing(session=session, record=record, decision=decision, remark=remark, actor=actor_of(user))


def move(*, session: Session, user: User, record: Listing, status: ListingStatus | str, remark: str | None) -> Listing:
    """`user`'s change of a listing's status (`change_listing_status`; the bureau of its region only)."""
    _require(user, access.CHANGE_STATUS, record)
    return change_listing_status(session=session, record=record, status=status, remark=remark, actor=actor_of(user))


def mark_excellent(*, session: Session, user: User, solution: Solution, excellent: bool) -> Solution:
    """`user` marks (or unmarks) a solution 优秀 (the bureau of its region only)."""
    _require(user, access.SET_EXCELLENT, solution)
    return solution_service.set_solution_excellent(session=session, solution=solution, excellent=excellent,
                                                   actor=actor_of(user))


def withdraw(*, session: Session, user: User, solution: Solution, remark: str | None = None) -> Solution:
    """A provider takes its own listing out of the pool for good (退出)."""
    _require(user, access.WITHDRAW, solution)
    return solution_service.withdraw_solution(session=session, solution=solution, actor=actor_of(user), remark=remark)


# --- many at once -------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    """How many records a bulk action changed, and why each other one was left as it was."""

    done: int = 0
    problems: list[str] = field(default_factory=list)


def may(user: User, action: str, record: Listing) -> bool:
    """The listing's own rule: a provider's or a solution's `can`."""
    if isinstance(record, Provider):
        return provider_rules.can(user, action, record)
    return solution_rules.can(user, action, record)


def _load(session: Session, record_type: Literal["provider", "solution"], record_id: int) -> Listing:
    if record_type == "provider":
        return provider_service.get_provider(session=session, provider_id=record_id)
    return solution_service.get_solution(session=session, solution_id=record_id)


def require_bulk_size(ids: list[int]) -> None:
    """ValidationFailed when more records are chosen than one bulk action changes."""
    if len(ids) > BULK_ITEMS:
        raise ValidationFailed("bulk_too_many", f"一次最多批量处理 {BULK_ITEMS} 项，本次选择了 {len(ids)} 项，请分批操作",
                               details=[{"field": "ids", "message": f"最多 {BULK_ITEMS} 项"}])


def _bulk(*, session: Session, user: User, record_type: Literal["provider", "solution"], ids: list[int],
          action: str, apply: Callable[[Listing], object]) -> BulkOutcome:
    require_bulk_size(ids)
    outcome = BulkOutcome()
    for record_id in ids:
        hidden = f"编号 {record_id} 不存在或不在本部门管辖范围内"  # by id only: existence is not revealed
        try:
            record = _load(session, record_type, record_id)
        except MarketError:
            outcome.problems.append(hidden)
            continue
        if not may(user, access.VIEW, record):
            outcome.problems.append(hidden)
            continue
        if not may(user, action, record):
            outcome.problems.append(f"“{record.name}”不在本部门管辖范围内")
            continue
        try:  # the service checks (e.g. the transition) before it changes anything
            apply(record)
            outcome.done += 1
        except MarketError as error:
            outcome.problems.append(f"“{record.name}”：{error.message}")
    return outcome


def bulk_change_status(*, session: Session, user: User, record_type: Literal["provider", "solution"],
                       ids: list[int], status: ListingStatus | str, remark: str | None) -> BulkOutcome:
    """`change_listing_status` for each chosen provider or solution the user may change."""
    return _bulk(session=session, user=user, record_type=record_type, ids=ids, action=access.CHANGE_STATUS,
                 apply=lambda record: change_listing_status(session=session, record=record, status=status,
                                                            remark=remark, actor=actor_of(user)))


def bulk_set_excellent(*, session: Session, user: User, ids: list[int], excellent: bool) -> BulkOutcome:
    """Set or clear the 优秀 flag of each chosen solution the user may change."""
    def apply(record: Listing) -> object:
        assert isinstance(record, Solution)
        return solution_service.set_solution_excellent(session=session, solution=record, excellent=excellent,
                                                       actor=actor_of(user))
    return _bulk(session=session, user=user, record_type="solution", ids=ids, action=access.SET_EXCELLENT,
                 apply=apply)
