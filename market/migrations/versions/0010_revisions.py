"""revisions: a provider's pending edit of a published provider or solution, kept apart from
the live (published) row until a bureau approves or rejects it

Revision ID: 0010_revisions
Revises: 0009_product_page
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_revisions"
down_revision: str | None = "0009_product_page"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_dt = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", _str(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("status", _str(), nullable=False),
        sa.Column("author", _str(), nullable=False),
        sa.Column("remark", _str(), nullable=True),
        sa.Column("reviewed_by", _str(), nullable=True),
        sa.Column("reviewed_at", _dt(), nullable=True),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("updated_at", _dt(), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        for column in ("record_type", "record_id", "provider_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_revision_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("revision")
