"""A provider's answer to a lead (an enterprise's need its offerings fit): contacted, or
not relevant. One per provider and need; the bureau reads who contacted whom."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from catalog.limits import REMARK_CHARS
from catalog.records import utcnow

LEADS_SHOWN = 50  # a provider's leads in one answer, best fit first …
LEADS_MAX = 200  # … and at most (the provider's own list page shows this many)


class LeadAnswer(StrEnum):
    CONTACTED = "已联系"
    NOT_RELEVANT = "不相关"


class LeadResponse(SQLModel, table=True):
    """What a provider did about one lead."""

    __tablename__ = "leadresponse"
    __table_args__ = (UniqueConstraint("provider_id", "need_id"),)

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    need_id: int = Field(foreign_key="need.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    answer: str
    note: str = ""
    actor: str
    answered_at: datetime = Field(default_factory=utcnow)


class LeadMark(SQLModel):
    """A provider's answer to a lead, as the API and the page receive it."""

    answer: LeadAnswer
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=REMARK_CHARS)] = ""
