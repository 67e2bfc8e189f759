"""小快轻准产品和解决方案 (solutions): a provider's listings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sqlmodel import Field, SQLModel

from catalog.providers.models import ListingStatus
from catalog.records import Versioned, json_list, utcnow


class SizeFit(StrEnum):
    ABOVE = "规上"
    BELOW = "规下"
    ANY = "均可"


class Solution(Versioned, SQLModel, table=True):
    """小快轻准产品和解决方案."""

    audit_type: ClassVar[str] = "solution"
    label: ClassVar[str] = "产品"
    audited_fields: ClassVar[tuple[str, ...]] = (
        "code", "name", "industries", "scenarios", "description", "deployment", "price_wan", "billing",
        "deploy_days", "size_fit", "target_level", "keywords", "provider_id", "status", "excellent")
    not_null: ClassVar[frozenset[str]] = frozenset({
        "code", "name", "industries", "scenarios", "description", "deployment", "price_wan", "billing",
        "deploy_days", "size_fit", "keywords", "provider_id", "status"})

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    name: str = Field(index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    industries: list[str] = json_list()
    scenarios: list[str] = json_list()
    description: str = ""
    deployment: str
    price_wan: float
    billing: str
    deploy_days: int
    size_fit: str = SizeFit.ANY
    target_level: str | None = None
    keywords: list[str] = json_list()
    status: str = Field(default=ListingStatus.PENDING, index=True)
    status_changed_by: str | None = None
    status_changed_at: datetime | None = None
    review_remark: str | None = None
    excellent: bool = False
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
