"""What every record (SQLModel table) shares; the tables themselves live in each feature's
models.py (catalog/providers/models.py, catalog/events/models.py …).

Multi-valued fields (industries, scenarios, keywords …) are JSON lists (`json_list`) so the
same code runs on SQLite and PostgreSQL. Every record that users edit carries a `version`
for optimistic concurrency (`Versioned`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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


