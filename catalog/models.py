"""The records (SQLModel tables) of the catalogue and the pilot.

Multi-valued fields (industries, scenarios, keywords …) are JSON lists so the same
code runs on SQLite and PostgreSQL. Every record that users edit carries a
`version` for optimistic concurrency.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Versioned:
    """Optimistic concurrency in the database: every ORM UPDATE of the table says
    `WHERE id = :id AND version = :loaded` and bumps `version`; a stale write matches no row
    (SQLAlchemy raises StaleDataError, which catalog.service_core.flush turns into Conflict)."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


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


class EnterpriseSize(StrEnum):
    ABOVE = "规上"
    BELOW = "规下"


class SizeFit(StrEnum):
    ABOVE = "规上"
    BELOW = "规下"
    ANY = "均可"


class Priority(StrEnum):
    HIGH = "高"
    MEDIUM = "中"
    LOW = "低"


class Relation(StrEnum):
    SUPPLIER = "供应商"
    CUSTOMER = "客户"
    OUTSOURCING = "外协"


class EngagementStatus(StrEnum):
    INTENT = "意向"
    SIGNED = "签约"
    IN_PROGRESS = "实施中"
    ACCEPTED = "已验收"
    TERMINATED = "终止"


class Role(StrEnum):
    BUREAU = "bureau"
    PROVIDER = "provider"
    ENTERPRISE = "enterprise"
    CHAIN_LEADER = "chain_leader"


class Provider(Versioned, SQLModel, table=True):
    """服务商."""

    id: int | None = Field(default=None, primary_key=True)
    uscc: str = Field(index=True, unique=True, max_length=18)
    name: str = Field(index=True)
    name_key: str = Field(index=True, default="")
    kind: str
    region: str = Field(index=True)
    service_regions: list[str] = _json_list()
    industries: list[str] = _json_list()
    scenarios: list[str] = _json_list()
    description: str = ""
    certifications: list[str] = _json_list()
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


class Solution(Versioned, SQLModel, table=True):
    """小快轻准产品和解决方案."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    name: str = Field(index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    industries: list[str] = _json_list()
    scenarios: list[str] = _json_list()
    description: str = ""
    deployment: str
    price_wan: float
    billing: str
    deploy_days: int
    size_fit: str = SizeFit.ANY
    target_level: str | None = None
    keywords: list[str] = _json_list()
    status: str = Field(default=ListingStatus.PENDING, index=True)
    status_changed_by: str | None = None
    status_changed_at: datetime | None = None
    review_remark: str | None = None
    excellent: bool = False
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Enterprise(Versioned, SQLModel, table=True):
    """试点企业."""

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


class ChainLink(Versioned, SQLModel, table=True):
    """产业链关系: leader → member (via a tier-1 member for tier 2+)."""

    __table_args__ = (UniqueConstraint("leader_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    leader_id: int = Field(foreign_key="enterprise.id", index=True)
    member_id: int = Field(foreign_key="enterprise.id", index=True)
    via_id: int | None = Field(default=None, foreign_key="enterprise.id")
    relation: str
    share: float | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Engagement(Versioned, SQLModel, table=True):
    """对接成果: enterprise × solution, from intention to acceptance."""

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


class User(SQLModel, table=True):
    """A person who logs in, with one role and what it is bound to."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True)
    password_hash: str
    role: str
    display_name: str = ""
    regions: list[str] = _json_list()  # bureau: the regions it administers
    provider_id: int | None = Field(default=None, foreign_key="provider.id")
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id")
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """One append-only, hash-chained entry of the audit log (全过程留痕、防篡改)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str
    action: str  # create / update / status / delete
    record_type: str
    record_key: str
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str
    hash: str = Field(index=True)


class AuditHead(SQLModel, table=True):
    """The head of the audit chain (one row, id 1): the last entry's id and hash, written in
    the transaction that appends, so verifying can tell that entries were cut from the tail."""

    id: int | None = Field(default=None, primary_key=True)
    last_id: int = 0
    last_hash: str = "0" * 64
    updated_at: datetime = Field(default_factory=utcnow)


class OutboxEntry(SQLModel, table=True):
    """A change the search index must follow; written in the same transaction as the change."""

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(index=True)  # solution / provider / need
    record_id: int
    op: str = "upsert"  # upsert / delete
    created_at: datetime = Field(default_factory=utcnow)
    processed_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    last_error: str | None = None
