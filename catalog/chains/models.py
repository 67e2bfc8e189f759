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
