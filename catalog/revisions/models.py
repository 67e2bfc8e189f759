"""A provider's proposed edit of a published provider profile or listing (修改待审核).

The live row keeps the published version, which the public pages and the search index
serve, until a bureau approves the revision (its values then replace the live ones) or
rejects it with a reason (the provider sees it and may edit again).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import StringConstraints
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from catalog.limits import RAW_FACTOR, REMARK_CHARS
from catalog.records import utcnow


class RevisionStatus(StrEnum):
    PENDING = "待审核"
    APPROVED = "已通过"
    REJECTED = "已驳回"
    WITHDRAWN = "已撤回"  # the provider's later edit took every change back


class Revision(SQLModel, table=True):
    """One proposed edit: the field values it would set, against the published record."""

    __tablename__ = "revision"

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(index=True)  # provider / solution
    record_id: int = Field(index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)  # whose listing: the author's side
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # the published values of the changed fields when the bureau decided (the diff it saw)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    status: str = Field(default=RevisionStatus.PENDING, index=True)
    author: str
    remark: str | None = None  # the bureau's reason (always given on a rejection)
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# A reviewer's remark; its bound is checked by the decision (catalog.providers.review.clean_remark),
# this one only refuses raw input far past it before it is looked at.
Remark = Annotated[str, StringConstraints(strip_whitespace=True, max_length=REMARK_CHARS * RAW_FACTOR)]


class RevisionDecision(SQLModel):
    """A bureau's decision on a revision: approve (remark optional) or reject (remark required)."""

    remark: Remark = Field(default="", description=f"审核意见（驳回时必填，服务商可以看到；不超过 {REMARK_CHARS} 个字符）")


class FieldDiff(SQLModel):
    field: str
    label: str
    before: Any = None
    after: Any = None


class RevisionPublic(SQLModel):
    id: int
    record_type: str
    record_id: int
    record_name: str = ""
    provider_id: int
    status: str
    author: str
    remark: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    changes: dict[str, Any]
    diff: list[FieldDiff] = Field(default_factory=list)


class RevisionsPublic(SQLModel):
    data: list[RevisionPublic]
    count: int
