"""What every record (SQLModel table) shares; the tables themselves live in each feature's
models.py (catalog/providers/models.py, catalog/events/models.py …).

Multi-valued fields (industries, scenarios, keywords …) are JSON lists (`json_list`) so the
same code runs on SQLite and PostgreSQL. Every record that users edit carries a `version`
for optimistic concurrency (`Versioned`); a table whose writes are audited through
catalog/writes.py says on its class what the audit log calls it (`Audited`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from pydantic.fields import FieldInfo
from sqlalchemy import JSON, Column
from sqlalchemy.orm import declared_attr
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


def json_list() -> Any:
    """A JSON list column, empty by default."""
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Versioned:
    """Optimistic concurrency in the database: every ORM UPDATE of the table says
    `WHERE id = :id AND version = :loaded` and bumps `version`; a stale write matches no row
    (SQLAlchemy raises StaleDataError, which catalog.writes.flush turns into Conflict)."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]




class Audited(Protocol):
    """A table whose writes are audited (catalog/writes.py), declaring on its class what a
    change's audit entry is filed under and keeps."""

    audit_type: ClassVar[str]  # the entries' record_type ("provider", "need" …), as stored and in the outbox
    label: ClassVar[str]  # its name in messages: 服务商, 需求 …
    audited_fields: ClassVar[tuple[str, ...]]  # what a snapshot (a creation, a deletion) keeps
    not_null: ClassVar[frozenset[str]]  # fields an update leaves as they are when given None
    __pydantic_fields__: ClassVar[dict[str, FieldInfo]]  # what SQLModel's `model_fields` returns
    id: int | None
    version: int
    updated_at: datetime
