"""lead responses: a provider's answer (contacted / not relevant) to one enterprise need

Revision ID: 0008_lead_responses
Revises: 0007_participant_consent
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008_lead_responses"
down_revision: str | None = "0007_participant_consent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_dt = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "leadresponse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("answer", _str(), nullable=False),
        sa.Column("note", _str(), nullable=False),
        sa.Column("actor", _str(), nullable=False),
        sa.Column("answered_at", _dt(), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"]),
        sa.ForeignKeyConstraint(["need_id"], ["need.id"]),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_id", "need_id"),
    )
    with op.batch_alter_table("leadresponse", schema=None) as batch_op:
        for column in ("provider_id", "need_id", "enterprise_id"):
            batch_op.create_index(batch_op.f(f"ix_leadresponse_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("leadresponse")
