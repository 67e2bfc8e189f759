"""Writes to 服务商 (providers); their products and solutions are catalog/solutions/service.py.
Each function validates, changes, flushes (never commits) and leaves audit and outbox entries.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from catalog import access, outbox, writes
from catalog.errors import Conflict, Forbidden, InvalidTransition
from catalog.language.text import company_key
from catalog.providers import permissions as provider_rules
from catalog.providers.models import LISTING_TRANSITIONS, ListingStatus, Provider
from catalog.providers.schemas import ProviderBase, ProviderCreate, ProviderUpdate
from catalog.records import utcnow
from catalog.solutions.models import Solution
from catalog.users.models import User
from catalog.users.service import actor_of

# --- 服务商 ------------------------------------------------------------------------------


def get_provider(*, session: Session, provider_id: int) -> Provider:
    """The provider with this id, or NotFound."""
    return writes.get_or_404(session=session, model=Provider, record_id=provider_id)


def provider_values(data: ProviderCreate, *, status: ListingStatus | str, actor: str) -> dict[str, Any]:
    """The column values of a new provider from validated data."""
    now = utcnow()
    return data.model_dump(include=set(ProviderBase.model_fields)) | {
        "name_key": company_key(data.name), "status": ListingStatus(status).value, "status_changed_by": actor,
        "status_changed_at": now, "created_at": now, "updated_at": now}


def new_provider(data: ProviderCreate, *, status: ListingStatus | str, actor: str) -> Provider:
    """An unsaved Provider from validated data."""
    return Provider(**provider_values(data, status=status, actor=actor))


def require_uscc_free(*, session: Session, uscc: str, exclude_id: int | None = None) -> None:
    """Conflict when another provider already has this USCC."""
    query = select(Provider.id).where(Provider.uscc == uscc)
    if exclude_id is not None:
        query = query.where(Provider.id != exclude_id)
    if session.exec(query.limit(1)).first() is not None:
        raise Conflict(f"统一社会信用代码为 {uscc} 的服务商已存在", code="duplicate_uscc")


def _probable_duplicate(session: Session, provider: Provider) -> int | None:
    """The id of an existing provider with the same name key but another USCC."""
    if not provider.name_key:
        return None
    query = select(Provider.id).where(Provider.name_key == provider.name_key, Provider.uscc != provider.uscc)
    return session.exec(query.order_by(col(Provider.id)).limit(1)).first()


def provider_of(*, session: Session, user: User) -> Provider:
    """The provider this account speaks for (Forbidden when it is bound to none)."""
    if user.provider_id is None:
        raise Forbidden("no_provider", "该账号未绑定服务商，请联系主管部门")
    provider = get_provider(session=session, provider_id=int(user.provider_id))
    provider_rules.require(user, access.VIEW, provider)
    return provider


def register_provider(*, session: Session, user: User, data: ProviderCreate) -> Provider:
    """A bureau adds a provider located in its own regions (to review like any other)."""
    access.require_region(user, data.region)
    return create_provider(session=session, data=data, actor=actor_of(user))


def create_provider(*, session: Session, data: ProviderCreate, actor: str,
                    status: ListingStatus = ListingStatus.PENDING) -> Provider:
    """Add a provider; a near-identical name with another USCC is flagged, never merged."""
    require_uscc_free(session=session, uscc=data.uscc)
    provider = new_provider(data, status=status, actor=actor)
    provider.probable_duplicate_of = _probable_duplicate(session, provider)
    writes.create(session=session, records=[provider], actor=actor)
    return provider


def enqueue_provider_solutions(*, session: Session, provider: Provider) -> None:
    """Re-index every solution of a provider (its name or status changed)."""
    ids = session.exec(select(Solution.id).where(Solution.provider_id == provider.id)).all()
    for solution_id in ids:
        outbox.enqueue(session=session, record_type="solution", record_id=int(solution_id or 0))


def update_provider(*, session: Session, provider: Provider, data: ProviderUpdate, actor: str,
                    expected_version: int | None = None) -> Provider:
    """Change a provider's profile (optimistic: a stale `expected_version` → Conflict)."""
    if data.uscc and data.uscc != provider.uscc:
        require_uscc_free(session=session, uscc=data.uscc, exclude_id=provider.id)
    old_name = provider.name
    if writes.update(session=session, record=provider, changes=data.model_dump(exclude_unset=True), actor=actor,
                     expected_version=expected_version) and provider.name != old_name:
        enqueue_provider_solutions(session=session, provider=provider)
    return provider


def change_provider_status(*, session: Session, provider: Provider, status: ListingStatus | str,
                           actor: str, remark: str | None = None) -> Provider:
    """Review, publish, suspend or retire a provider (能进能出); its solutions are re-indexed."""
    move_listing(session=session, record=provider, status=status, actor=actor, remark=remark)
    enqueue_provider_solutions(session=session, provider=provider)
    writes.flush(session=session)
    return provider


# --- the listing status a provider and its solutions share (能进能出) -----------------------


def move_listing(*, session: Session, record: Provider | Solution, status: ListingStatus | str,
                          actor: str, remark: str | None) -> None:
    """Move a provider or solution along LISTING_TRANSITIONS, audited and flushed."""
    old, new = ListingStatus(record.status), ListingStatus(status)
    if new not in LISTING_TRANSITIONS[old]:
        raise InvalidTransition(f"{record.label}状态不能从“{old.value}”变更为“{new.value}”")
    before = {"status": old.value, "review_remark": record.review_remark}
    record.status, record.review_remark = new.value, remark
    record.status_changed_by, record.status_changed_at = actor, utcnow()
    record.updated_at = record.status_changed_at
    with writes.conflict_on_stale():
        writes.audited_change(session=session, record=record, actor=actor, action="status", before=before,
                              after={"status": new.value, "review_remark": remark})
        session.flush()
