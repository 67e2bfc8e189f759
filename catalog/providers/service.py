"""Writes to 服务商 (providers); their products and solutions are catalog/solutions/service.py.
Each function validates, changes, flushes (never commits) and leaves audit and outbox entries.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from catalog import outbox
from catalog.errors import Conflict
from catalog.language.text import company_key
from catalog.providers.models import ListingStatus, Provider
from catalog.providers.schemas import ProviderBase, ProviderCreate, ProviderUpdate
from catalog.records import utcnow
from catalog.solutions.models import Solution
from catalog.writes import (
    change_listing_status,
    flush,
    get_record,
    insert_many,
    key_taken,
    probable_duplicate,
    update_record,
)

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


