"""product page: cases of a solution, messages of an engagement, the words of a rating

Revision ID: 0009_product_page
Revises: 0008_lead_responses
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009_product_page"
down_revision: str | None = "0008_lead_responses"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_dt = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "solutioncase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("solution_id", sa.Integer(), nullable=False),
        sa.Column("client_industry", _str(), nullable=False),
        sa.Column("problem", _str(), nullable=False),
        sa.Column("result", _str(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=True),
        sa.Column("actor", _str(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.ForeignKeyConstraint(["solution_id"], ["solution.id"]),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagement.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "engagementmessage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("author", _str(), nullable=False),
        sa.Column("side", _str(), nullable=False),
        sa.Column("text", _str(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagement.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for table, column in (("solutioncase", "solution_id"), ("engagementmessage", "engagement_id")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review", _str(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_column("review")
    op.drop_table("engagementmessage")
    op.drop_table("solutioncase")
