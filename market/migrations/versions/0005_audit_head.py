"""audit head: the last entry's id and hash, so a cut tail of the audit chain is detected

Revision ID: 0005_audit_head
Revises: (linearised)
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_audit_head"
down_revision: str | None = "0004_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64


def upgrade() -> None:
    head = op.create_table(
        "audithead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    last = op.get_bind().execute(sa.text("SELECT id, hash FROM auditentry ORDER BY id DESC LIMIT 1")).first()
    op.bulk_insert(head, [{"id": 1, "last_id": int(last[0]) if last else 0,
                           "last_hash": str(last[1]) if last else GENESIS, "updated_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("audithead")
