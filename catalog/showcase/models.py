"""What sells a product beyond its description: cases (案例) its provider shows, and the
messages of an engagement (an enterprise's 申请对接 and the provider's answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from catalog.limits import LIST_ITEM_CHARS, REMARK_CHARS
from catalog.records import utcnow

Remark = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REMARK_CHARS)]


class SolutionCase(SQLModel, table=True):
    """One case of a product: whom it served, their problem, the result; optionally the
    accepted engagement (验收记录) that proves it."""

    __tablename__ = "solutioncase"

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solution.id", index=True)
    client_industry: str
    problem: str
    result: str
    engagement_id: int | None = Field(default=None, foreign_key="engagement.id")
    actor: str
    created_at: datetime = Field(default_factory=utcnow)


class CaseCreate(SQLModel):
    """A case as the provider writes it."""

    client_industry: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LIST_ITEM_CHARS)]
    problem: Remark
    result: Remark
    engagement_id: int | None = Field(default=None, ge=1, description="本产品的已验收对接编号（可选）")


class EngagementMessage(SQLModel, table=True):
    """One message on an engagement, from its enterprise, its provider or the bureau."""

    __tablename__ = "engagementmessage"

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    author: str
    side: str  # 企业 / 服务商 / 主管部门
    text: str
    created_at: datetime = Field(default_factory=utcnow)


class MessageIn(SQLModel):
    text: Remark


class ContactRequest(SQLModel):
    """申请对接: an enterprise asks a product's provider to get in touch."""

    message: Remark
