"""The web app's own tables: login sessions, API tokens, login attempts, background jobs.

The app process keeps no state in memory; everything a second worker on another machine
needs to serve the next request lives here.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from catalog.records import utcnow


class LoginSession(SQLModel, table=True):
    """A browser login: the cookie holds a random token, the table only its SHA-256."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    csrf_token: str = Field(max_length=64)
    address: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; revoked tokens stay for the record."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)
    revoked_at: datetime | None = None


class LoginAttempt(SQLModel, table=True):
    """One login attempt; failures within a window rate-limit the account and the address."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True)
    address: str = Field(index=True)
    success: bool = False
    at: datetime = Field(default_factory=utcnow, index=True)


class JobStatus(StrEnum):
    QUEUED = "排队中"
    RUNNING = "运行中"
    DONE = "已完成"
    FAILED = "失败"


class Job(SQLModel, table=True):
    """A background job with its progress, readable by any worker."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    status: str = Field(default=JobStatus.QUEUED, index=True)
    done: int = 0
    total: int = 0
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    error: str | None = None
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
