"""The records of the audit log: its entries and the head of the chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from catalog.records import utcnow


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
