"""progress tables: target rows, acceptance records, finance products

Revision ID: 0006_progress
Revises: (linearised)
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_progress"
down_revision: str | None = "0005_audit_head"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_dt = sqlmodel.sql.sqltypes.UTCDateTime


def _index(table: str, column: str, unique: bool = False) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=unique)


def upgrade() -> None:
    op.create_table(
        "targetrow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", _str(), nullable=False),
        sa.Column("table_name", _str(), nullable=False),
        sa.Column("segment", _str(), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("indicator", _str(), nullable=False),
        sa.Column("unit", _str(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("measure", _str(), nullable=True),
        sa.Column("note", _str(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("updated_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region", "segment", "year", "indicator"),
    )
    _index("targetrow", "region")
    _index("targetrow", "year")
    op.create_table(
        "acceptancerecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("acceptance_date", sa.Date(), nullable=False),
        sa.Column("level_before", _str(), nullable=False),
        sa.Column("level_after", _str(), nullable=False),
        sa.Column("provider_share_wan", sa.Float(), nullable=False),
        sa.Column("proposed_by", _str(), nullable=False),
        sa.Column("proposed_at", _dt(), nullable=False),
        sa.Column("confirmed_by", _str(), nullable=True),
        sa.Column("confirmed_at", _dt(), nullable=True),
        sa.Column("policy_key", _str(), nullable=True),
        sa.Column("policy_tier", _str(), nullable=True),
        sa.Column("subsidy_wan", sa.Float(), nullable=True),
        sa.Column("subsidy_reason", _str(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagement.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("acceptancerecord", "engagement_id", unique=True)
    op.create_table(
        "financeproduct",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", _str(), nullable=False),
        sa.Column("name", _str(), nullable=False),
        sa.Column("lender", _str(), nullable=False),
        sa.Column("rate_pct", sa.Float(), nullable=True),
        sa.Column("cap_wan", sa.Float(), nullable=True),
        sa.Column("term_months", sa.Integer(), nullable=True),
        sa.Column("note", _str(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("updated_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("financeproduct", "region")


def downgrade() -> None:
    op.drop_table("financeproduct")
    op.drop_table("acceptancerecord")
    op.drop_table("targetrow")
