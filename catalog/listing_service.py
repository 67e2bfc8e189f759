"""Writes to the listings: 服务商 (providers) and their 小快轻准 products and solutions.
Each function validates, changes, flushes (never commits) and leaves audit and outbox entries.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from catalog import outbox
from catalog.errors import Conflict
from catalog.models import ListingStatus, Provider, Solution, utcnow
from catalog.schemas import (
    ProviderBase,
    ProviderCreate,
    ProviderUpdate,
    SolutionBase,
    SolutionCreate,
    SolutionUpdate,
)
from catalog.service_core import (
    apply_changes,
    change_listing_status,
    flush,
    get_record,
    insert_many,
    key_taken,
    probable_duplicate,
    update_record,
)
from catalog.text import company_key

# --- 服务商 ------------------------------------------------------------------------------


def get_provider(*, session: Session, provider_id: int) -> Provider:
    """The provider with this id, or NotFound."""
    return get_record(session=session, model=Provider, record_id=provider_id, record_type="provider")


def provider_values(data: ProviderCreate, *, status: ListingStatus | str, actor: str) -> dict[str, Any]:
    """The column values of a new provider from validated data."""
    now = utcnow()
    return data.model_dump(include=set(ProviderBase.model_fields)) | {
        "name_key": company_key(data.name), "status": ListingStatus(status).value, "status_changed_by": actor,
        "status_changed_at": now, "created_at": now, "updated_at": now}


def new_provider(data: ProviderCreate, *, status: ListingStatus | str, actor: str) -> Provider:
    """An unsaved Provider from validated data."""
    return Provider(**provider_values(data, status=status, actor=actor))


def create_provider(*, session: Session, data: ProviderCreate, actor: str,
                    status: ListingStatus = ListingStatus.PENDING) -> Provider:
    """Add a provider; a near-identical name with another USCC is flagged, never merged."""
    if key_taken(session=session, model=Provider, column="uscc", value=data.uscc):
        raise Conflict(f"统一社会信用代码为 {data.uscc} 的服务商已存在", code="duplicate_uscc")
    provider = new_provider(data, status=status, actor=actor)
    provider.probable_duplicate_of = probable_duplicate(
        session=session, model=Provider, name_key=provider.name_key, uscc=provider.uscc)
    insert_many(session=session, records=[provider], record_type="provider", actor=actor)
    return provider


def enqueue_provider_solutions(*, session: Session, provider: Provider) -> None:
    """Re-index every solution of a provider (its name or status changed)."""
    ids = session.exec(select(Solution.id).where(Solution.provider_id == provider.id)).all()
    for solution_id in ids:
        outbox.enqueue(session=session, record_type="solution", record_id=int(solution_id or 0))


def update_provider(*, session: Session, provider: Provider, data: ProviderUpdate, actor: str,
                    expected_version: int | None = None) -> Provider:
    """Change a provider's profile (optimistic: a stale `expected_version` → Conflict)."""
    if data.uscc and data.uscc != provider.uscc and key_taken(
            session=session, model=Provider, column="uscc", value=data.uscc, exclude_id=provider.id):
        raise Conflict(f"统一社会信用代码为 {data.uscc} 的服务商已存在", code="duplicate_uscc")
    old_name = provider.name
    if update_record(session=session, record=provider, record_type="provider", data=data, actor=actor,
                  expected_version=expected_version) and provider.name != old_name:
        enqueue_provider_solutions(session=session, provider=provider)
    return provider


def change_provider_status(*, session: Session, provider: Provider, status: ListingStatus | str,
                           actor: str, remark: str | None = None) -> Provider:
    """Review, publish, suspend or retire a provider (能进能出); its solutions are re-indexed."""
    change_listing_status(session=session, record=provider, record_type="provider", status=status, actor=actor,
                          remark=remark)
    enqueue_provider_solutions(session=session, provider=provider)
    flush(session=session)
    return provider


# --- 产品和解决方案 ---------------------------------------------------------------------------


def get_solution(*, session: Session, solution_id: int) -> Solution:
    """The solution with this id, or NotFound."""
    return get_record(session=session, model=Solution, record_id=solution_id, record_type="solution")


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


def create_solution(*, session: Session, data: SolutionCreate, actor: str,
                    status: ListingStatus = ListingStatus.PENDING) -> Solution:
    """Add a solution to a provider's listings."""
    get_provider(session=session, provider_id=data.provider_id)
    if key_taken(session=session, model=Solution, column="code", value=data.code):
        raise Conflict(f"产品编号“{data.code}”已存在", code="duplicate_code")
    solution = new_solution(data, status=status, actor=actor)
    insert_many(session=session, records=[solution], record_type="solution", actor=actor)
    return solution


def update_solution(*, session: Session, solution: Solution, data: SolutionUpdate, actor: str,
                    expected_version: int | None = None) -> Solution:
    """Change a solution (optimistic: a stale `expected_version` → Conflict)."""
    if data.provider_id is not None:
        get_provider(session=session, provider_id=data.provider_id)
    if data.code and data.code != solution.code and key_taken(
            session=session, model=Solution, column="code", value=data.code, exclude_id=solution.id):
        raise Conflict(f"产品编号“{data.code}”已存在", code="duplicate_code")
    update_record(session=session, record=solution, record_type="solution", data=data, actor=actor,
                  expected_version=expected_version)
    return solution


def change_solution_status(*, session: Session, solution: Solution, status: ListingStatus | str,
                           actor: str, remark: str | None = None) -> Solution:
    """Review, publish, suspend or retire a solution."""
    change_listing_status(session=session, record=solution, record_type="solution", status=status, actor=actor,
                          remark=remark)
    flush(session=session)
    return solution


def set_solution_excellent(*, session: Session, solution: Solution, excellent: bool, actor: str) -> Solution:
    """Mark (or unmark) a solution as 优秀."""
    apply_changes(session=session, record=solution, record_type="solution",
                  changes={"excellent": bool(excellent)}, actor=actor)
    flush(session=session)
    return solution
