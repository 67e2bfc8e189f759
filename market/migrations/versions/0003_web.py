"""web tables: login sessions, API tokens, login attempts, jobs

Revision ID: 0003_web
Revises: 0001
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_web"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_dt = sqlmodel.sql.sqltypes.UTCDateTime


def _index(table: str, column: str, unique: bool = False) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=unique)


def upgrade() -> None:
    op.create_table(
        "loginsession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", _str(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", _str(length=64), nullable=False),
        sa.Column("address", _str(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("expires_at", _dt(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("loginsession", "token_hash", unique=True)
    _index("loginsession", "user_id")
    _index("loginsession", "expires_at")
    op.create_table(
        "apitoken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", _str(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", _str(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("expires_at", _dt(), nullable=False),
        sa.Column("revoked_at", _dt(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("apitoken", "token_hash", unique=True)
    _index("apitoken", "user_id")
    _index("apitoken", "expires_at")
    op.create_table(
        "loginattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", _str(), nullable=False),
        sa.Column("address", _str(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("loginattempt", "username")
    _index("loginattempt", "address")
    _index("loginattempt", "at")
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _str(), nullable=False),
        sa.Column("status", _str(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", _str(), nullable=True),
        sa.Column("created_by", _str(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("updated_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("job", "kind")
    _index("job", "status")


def downgrade() -> None:
    for table in ("job", "loginattempt", "apitoken", "loginsession"):
        op.drop_table(table)
