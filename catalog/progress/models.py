"""Records of the pilot's progress: the target table (目标总表) as data, acceptance records
of engagements (proposal, confirmation, subsidy owed), and 数转贷-type finance products."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.records import utcnow


class TargetRow(SQLModel, table=True):
    """One cell-row of a city's 目标总表: an indicator's target for a segment and a year."""

    __table_args__ = (UniqueConstraint("region", "segment", "year", "indicator"),)

    id: int | None = Field(default=None, primary_key=True)
    region: str = Field(index=True)  # the city, e.g. 江西省九江市
    table_name: str = ""
    segment: str = ""  # e.g. 石化化工 / 重点行业; "" for the whole city
    # GB/T 4754 code prefixes the segment covers (empty: every industry)
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    year: int | None = Field(default=None, index=True)
    position: int = 0
    indicator: str
    unit: str = "家"
    target: float = 0.0
    measure: str | None = None  # key of a computed measure (catalog/progress/measures.py)
    note: str = ""
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class AcceptanceRecord(SQLModel, table=True):
    """验收: proposed by a party, confirmed by the bureau, with the subsidy owed at confirmation."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", unique=True, index=True)
    acceptance_date: date
    level_before: str
    level_after: str
    provider_share_wan: float = 0.0
    proposed_by: str
    proposed_at: datetime = Field(default_factory=utcnow)
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None
    policy_key: str | None = None
    policy_tier: str | None = None
    subsidy_wan: float | None = None
    subsidy_reason: str | None = None
    on_time: bool | None = None


class FinanceProduct(SQLModel, table=True):
    """金融清单: a 数转贷-type product the bureau maintains."""

    id: int | None = Field(default=None, primary_key=True)
    region: str = Field(index=True)
    name: str
    lender: str
    rate_pct: float | None = None  # annual rate, %
    cap_wan: float | None = None
    term_months: int | None = None
    note: str = ""
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
