"""试点企业 (enterprises) and their need lists (需求)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.records import Versioned, utcnow


class EnterpriseSize(StrEnum):
    ABOVE = "规上"
    BELOW = "规下"


class Priority(StrEnum):
    HIGH = "高"
    MEDIUM = "中"
    LOW = "低"


class Enterprise(Versioned, SQLModel, table=True):
    """试点企业."""

    audit_type: ClassVar[str] = "enterprise"
    label: ClassVar[str] = "企业"
    audited_fields: ClassVar[tuple[str, ...]] = (
        "name", "uscc", "region", "industry", "size", "srdi_tier", "level", "budget_wan", "batch",
        "findable_by_providers", "share_budget", "share_needs_with_chain")
    not_null: ClassVar[frozenset[str]] = frozenset({
        "name", "uscc", "region", "industry", "size", "srdi_tier", "level"})

    id: int | None = Field(default=None, primary_key=True)
    uscc: str = Field(index=True, unique=True, max_length=18)
    name: str = Field(index=True)
    name_key: str = Field(index=True, default="")
    region: str = Field(index=True)
    industry: str = Field(index=True)
    size: str
    srdi_tier: str = "无"
    level: str = "未评测"
    budget_wan: float | None = None
    batch: int | None = None
    # Privacy choices: needs are the enterprise's own unless it opts in.
    findable_by_providers: bool = False
    share_budget: bool = False
    share_needs_with_chain: bool = False
    probable_duplicate_of: int | None = Field(default=None, foreign_key="enterprise.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Need(Versioned, SQLModel, table=True):
    """需求: one line of an enterprise's need list."""

    audit_type: ClassVar[str] = "need"
    label: ClassVar[str] = "需求"
    audited_fields: ClassVar[tuple[str, ...]] = (
        "code", "scenario", "text", "priority", "budget_wan", "enterprise_id", "position")
    not_null: ClassVar[frozenset[str]] = frozenset({"code", "text", "priority"})

    __table_args__ = (UniqueConstraint("enterprise_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    code: str
    scenario: str | None = None
    text: str
    priority: str = Priority.MEDIUM
    budget_wan: float | None = None
    position: int = 0
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
