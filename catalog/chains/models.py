"""产业链关系: a chain leader's link to a member (via a tier-1 member for tier 2+)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.records import Versioned, utcnow


class Relation(StrEnum):
    SUPPLIER = "供应商"
    CUSTOMER = "客户"
    OUTSOURCING = "外协"


# The chain proposal (链式转型方案): its budget, the group-purchase discount and from how many
# members a group price applies.
PROPOSAL_BUDGET_MAX_WAN = 100_000.0  # 万元, before subsidy
PROPOSAL_BUDGET_DEFAULT_WAN = 100.0
DISCOUNT_MAX = 0.5  # at most half off
DISCOUNT_DEFAULT = 0.1  # 0.1 = 九折
GROUP_MIN_LOW, GROUP_MIN_HIGH = 2, 100  # members taking one offering for the group price
GROUP_MIN_DEFAULT = 3
OFFERINGS_PER_NEED = 6  # the matcher's best offerings a proposal weighs for each member's need


class ChainLink(Versioned, SQLModel, table=True):
    """产业链关系: leader → member (via a tier-1 member for tier 2+)."""

    audit_type: ClassVar[str] = "chain_link"
    label: ClassVar[str] = "产业链关系"
    audited_fields: ClassVar[tuple[str, ...]] = ("leader_id", "member_id", "via_id", "relation", "share")
    not_null: ClassVar[frozenset[str]] = frozenset({"relation"})

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
