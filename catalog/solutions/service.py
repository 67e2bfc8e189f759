"""Writes to 小快轻准产品和解决方案 (solutions). Each function validates, changes, flushes (never commits)
and leaves audit and outbox entries.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from catalog import access, writes
from catalog.errors import Conflict
from catalog.notifications import notices
from catalog.providers import permissions as provider_rules
from catalog.providers.models import ListingStatus
from catalog.providers.service import get_provider, move_listing
from catalog.records import utcnow
from catalog.revisions.permissions import edits_need_review
from catalog.solutions.models import Solution
from catalog.solutions.schemas import SolutionBase, SolutionCreate, SolutionUpdate
from catalog.users.models import User
from catalog.users.service import actor_of


def get_solution(*, session: Session, solution_id: int) -> Solution:
    """The solution with this id, or NotFound."""
    return writes.get_or_404(session=session, model=Solution, record_id=solution_id)


def solution_values(data: SolutionBase, *, provider_id: int, status: ListingStatus | str,
                    actor: str) -> dict[str, Any]:
    """The column values of a new solution from validated data."""
    now = utcnow()
    return data.model_dump(include=set(SolutionBase.model_fields)) | {
        "provider_id": provider_id, "status": ListingStatus(status).value, "status_changed_by": actor,
        "status_changed_at": now, "created_at": now, "updated_at": now}


def new_solution(data: SolutionCreate, *, status: ListingStatus | str, actor: str) -> Solution:
    """An unsaved Solution from validated data."""
    return Solution(**solution_values(data, provider_id=data.provider_id, status=status, actor=actor))


def next_solution_code(session: Session, provider_id: int) -> str:
    """A free product code for a provider's new listing: P<provider id>-<n>."""
    prefix = f"P{provider_id}-"
    taken = set(session.exec(select(Solution.code).where(col(Solution.code).startswith(prefix))).all())
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def require_code_free(*, session: Session, code: str, exclude_id: int | None = None) -> None:
    """Conflict when another solution already has this product code."""
    query = select(Solution.id).where(Solution.code == code)
    if exclude_id is not None:
        query = query.where(Solution.id != exclude_id)
    if session.exec(query.limit(1)).first() is not None:
        raise Conflict(f"产品编号“{code}”已存在", code="duplicate_code")


def create_solution(*, session: Session, data: SolutionCreate, actor: str,
                    status: ListingStatus = ListingStatus.PENDING, reviewed: bool = False) -> Solution:
    """Add a solution to a provider's listings (with no code given, the next free P<provider>-<n>).
    `reviewed` (the provider adding its own listing, `revisions.permissions.edits_need_review`):
    a listing that so enters 待审核 is announced to the bureau of the provider's region."""
    get_provider(session=session, provider_id=data.provider_id)
    code = data.code or next_solution_code(session, data.provider_id)
    require_code_free(session=session, code=code)
    data = data.model_copy(update={"code": code})
    solution = new_solution(data, status=status, actor=actor)
    writes.create(session=session, records=[solution], actor=actor)
    if reviewed and solution.status == ListingStatus.PENDING:
        notices.listing_submitted(session=session, record=solution)
    return solution


def submit_solution(*, session: Session, user: User, data: SolutionCreate) -> Solution:
    """`user` adds a listing to a provider, as every front door does: the user must be allowed
    to; a provider's own listing enters 待审核 and is announced to the bureau of its region."""
    provider = get_provider(session=session, provider_id=data.provider_id)
    provider_rules.require(user, access.CREATE_SOLUTION, provider)
    return create_solution(session=session, data=data, actor=actor_of(user),
                           reviewed=edits_need_review(user, provider))


def update_solution(*, session: Session, solution: Solution, data: SolutionUpdate, actor: str,
                    expected_version: int | None = None) -> Solution:
    """Change a solution (optimistic: a stale `expected_version` → Conflict)."""
    if data.provider_id is not None:
        get_provider(session=session, provider_id=data.provider_id)
    if data.code and data.code != solution.code:
        require_code_free(session=session, code=data.code, exclude_id=solution.id)
    writes.update(session=session, record=solution, changes=data.model_dump(exclude_unset=True), actor=actor,
                  expected_version=expected_version)
    return solution


def change_solution_status(*, session: Session, solution: Solution, status: ListingStatus | str,
                           actor: str, remark: str | None = None) -> Solution:
    """Review, publish, suspend or retire a solution."""
    move_listing(session=session, record=solution, status=status, actor=actor, remark=remark)
    writes.flush(session=session)
    return solution


WITHDRAWN_REMARK = "服务商主动撤回"


def withdraw_solution(*, session: Session, solution: Solution, actor: str, remark: str | None = None) -> Solution:
    """A provider takes its listing out of the pool for good (退出); the remark says why, by
    default that the provider withdrew it."""
    return change_solution_status(session=session, solution=solution, status=ListingStatus.RETIRED, actor=actor,
                                  remark=(remark or "").strip() or WITHDRAWN_REMARK)


def set_solution_excellent(*, session: Session, solution: Solution, excellent: bool, actor: str) -> Solution:
    """Mark (or unmark) a solution as 优秀."""
    writes.update(session=session, record=solution, changes={"excellent": bool(excellent)}, actor=actor)
    return solution
