"""对接成果 (engagements): enterprise × solution, from intention to acceptance."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from catalog.records import Versioned, utcnow


class EngagementStatus(StrEnum):
    INTENT = "意向"
    SIGNED = "签约"
    IN_PROGRESS = "实施中"
    ACCEPTED = "已验收"
    TERMINATED = "终止"


# From signing on, the enterprise has taken the offering: it counts as signed (签约数) and as a
# system the enterprise uses (链主在用系统).
CONTRACTED: tuple[EngagementStatus, ...] = (
    EngagementStatus.SIGNED, EngagementStatus.IN_PROGRESS, EngagementStatus.ACCEPTED)


class Engagement(Versioned, SQLModel, table=True):
    """对接成果: enterprise × solution, from intention to acceptance."""

    audit_type: ClassVar[str] = "engagement"
    label: ClassVar[str] = "对接记录"
    audited_fields: ClassVar[tuple[str, ...]] = (
        "enterprise_id", "solution_id", "provider_id", "status", "contract_amount_wan", "contract_date",
        "acceptance_date", "level_before", "level_after", "termination_reason", "cost_split", "rating",
        "review")
    not_null: ClassVar[frozenset[str]] = frozenset({"provider_id", "status", "cost_split"})

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    solution_id: int = Field(foreign_key="solution.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    status: str = Field(default=EngagementStatus.INTENT, index=True)
    contract_amount_wan: float | None = None
    contract_date: date | None = None
    acceptance_date: date | None = None
    level_before: str | None = None
    level_after: str | None = None
    termination_reason: str | None = None
    cost_split: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    rating: int | None = None
    review: str | None = None  # the enterprise's words with its rating
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
