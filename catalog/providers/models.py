"""服务商 (providers), and the listing status (能进能出) they share with solutions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sqlmodel import Field, SQLModel

from catalog.records import Versioned, json_list, utcnow


class ListingStatus(StrEnum):
    """Status of a provider or a solution (能进能出)."""

    PENDING = "待审核"
    PUBLISHED = "已入库"
    SUSPENDED = "暂停"
    RETIRED = "退出"


# Allowed transitions: 待审核 → 已入库 → 暂停 ⇄ 已入库 → 退出 (and 暂停 → 退出).
LISTING_TRANSITIONS: dict[ListingStatus, frozenset[ListingStatus]] = {
    ListingStatus.PENDING: frozenset({ListingStatus.PUBLISHED, ListingStatus.RETIRED}),
    ListingStatus.PUBLISHED: frozenset(
        {ListingStatus.SUSPENDED, ListingStatus.RETIRED, ListingStatus.PENDING}
    ),
    ListingStatus.SUSPENDED: frozenset({ListingStatus.PUBLISHED, ListingStatus.RETIRED}),
    ListingStatus.RETIRED: frozenset(),
}


class ProviderKind(StrEnum):
    COMPREHENSIVE = "综合服务商"
    SPECIALIST = "专业服务商"


class Provider(Versioned, SQLModel, table=True):
    """服务商."""

    # What its audit entries are filed under and keep (catalog.records.Audited); the audited
    # fields follow the schema (tests/catalog/test_writes.py).
    audit_type: ClassVar[str] = "provider"
    label: ClassVar[str] = "服务商"
    audited_fields: ClassVar[tuple[str, ...]] = (
        "name", "uscc", "kind", "region", "service_regions", "industries", "scenarios", "description",
        "certifications", "capacity", "contact_name", "contact_phone", "status", "lead_provider_id")
    not_null: ClassVar[frozenset[str]] = frozenset({
        "name", "uscc", "kind", "region", "service_regions", "industries", "scenarios", "description",
        "certifications", "capacity", "status"})

    id: int | None = Field(default=None, primary_key=True)
    uscc: str = Field(index=True, unique=True, max_length=18)
    name: str = Field(index=True)
    name_key: str = Field(index=True, default="")
    kind: str
    region: str = Field(index=True)
    service_regions: list[str] = json_list()
    industries: list[str] = json_list()
    scenarios: list[str] = json_list()
    description: str = ""
    certifications: list[str] = json_list()
    capacity: int = 20
    contact_name: str | None = None
    contact_phone: str | None = None
    lead_provider_id: int | None = Field(default=None, foreign_key="provider.id")
    status: str = Field(default=ListingStatus.PENDING, index=True)
    status_changed_by: str | None = None
    status_changed_at: datetime | None = None
    review_remark: str | None = None
    probable_duplicate_of: int | None = Field(default=None, foreign_key="provider.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
