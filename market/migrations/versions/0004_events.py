"""event tables: events, participants, meeting requests, meetings

Revision ID: 0004_events
Revises: (linearised)
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004_events"
down_revision: str | None = "0003_web"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_dt = sqlmodel.sql.sqltypes.UTCDateTime


def _index(table: str, column: str, unique: bool = False) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=unique)


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", _str(), nullable=False),
        sa.Column("industry", _str(), nullable=True),
        sa.Column("region", _str(), nullable=False),
        sa.Column("place", _str(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("request_deadline", _dt(), nullable=True),
        sa.Column("max_meetings_enterprise", sa.Integer(), nullable=False),
        sa.Column("max_meetings_provider", sa.Integer(), nullable=False),
        sa.Column("auto_accept", sa.Boolean(), nullable=False),
        sa.Column("status", _str(), nullable=False),
        sa.Column("created_by", _str(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("updated_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("event", "region")
    _index("event", "status")

    op.create_table(
        "eventparticipant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("side", _str(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("need_ids", sa.JSON(), nullable=False),
        sa.Column("solution_ids", sa.JSON(), nullable=False),
        sa.Column("representatives", sa.Integer(), nullable=False),
        sa.Column("max_meetings", sa.Integer(), nullable=True),
        sa.Column("validated", sa.Boolean(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "enterprise_id"),
        sa.UniqueConstraint("event_id", "provider_id"),
    )
    _index("eventparticipant", "event_id")

    op.create_table(
        "meetingrequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("to_id", sa.Integer(), nullable=False),
        sa.Column("message", _str(), nullable=False),
        sa.Column("preference", _str(), nullable=False),
        sa.Column("status", _str(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reason", _str(), nullable=False),
        sa.Column("solution_id", sa.Integer(), nullable=True),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("responded_at", _dt(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["from_id"], ["eventparticipant.id"]),
        sa.ForeignKeyConstraint(["to_id"], ["eventparticipant.id"]),
        sa.ForeignKeyConstraint(["solution_id"], ["solution.id"]),
        sa.ForeignKeyConstraint(["need_id"], ["need.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("event_id", "from_id", "to_id", "status"):
        _index("meetingrequest", column)

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("table_no", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("enterprise_outcome", _str(), nullable=True),
        sa.Column("enterprise_comment", _str(), nullable=False),
        sa.Column("provider_outcome", _str(), nullable=True),
        sa.Column("provider_comment", _str(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("updated_at", _dt(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["meetingrequest.id"]),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagement.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id"),
    )
    _index("meeting", "event_id")


def downgrade() -> None:
    for table in ("meeting", "meetingrequest", "eventparticipant", "event"):
        op.drop_table(table)
