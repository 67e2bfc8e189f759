"""notifications (站内消息) and provider self-registrations (服务商入驻)

Revision ID: 0011_notifications
Revises: 0010_revisions
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_notifications"
down_revision: str | None = "0010_revisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_dt = sqlmodel.sql.sqltypes.UTCDateTime


def _indexes(table: str, columns: tuple[str, ...], unique: tuple[str, ...] = ()) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=column in unique)


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _str(), nullable=False),
        sa.Column("title", _str(), nullable=False),
        sa.Column("body", _str(), nullable=False),
        sa.Column("link", _str(), nullable=False),
        sa.Column("record_type", _str(), nullable=False),
        sa.Column("record_key", _str(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("read_at", _dt(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("notification", ("user_id", "kind", "created_at", "read_at"))
    op.create_table(
        "providerapplication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("similar_to", sa.JSON(), nullable=False),
        sa.Column("address", _str(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("decided_at", _dt(), nullable=True),
        sa.Column("decided_by", _str(), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("providerapplication", ("provider_id", "user_id", "address", "created_at"), unique=("provider_id",))


def downgrade() -> None:
    op.drop_table("providerapplication")
    op.drop_table("notification")
