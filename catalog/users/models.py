"""Users: a person who logs in, with one role and what it is bound to."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from catalog.records import json_list, utcnow


class Role(StrEnum):
    BUREAU = "bureau"
    PROVIDER = "provider"
    ENTERPRISE = "enterprise"
    CHAIN_LEADER = "chain_leader"


class User(SQLModel, table=True):
    """A person who logs in, with one role and what it is bound to."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True)
    password_hash: str
    role: str
    display_name: str = ""
    regions: list[str] = json_list()  # bureau: the regions it administers
    provider_id: int | None = Field(default=None, foreign_key="provider.id")
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id")
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
