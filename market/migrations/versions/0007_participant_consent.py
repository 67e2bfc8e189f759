"""event participants: whether the enterprise or provider consented to its registration

Revision ID: 0007_participant_consent
Revises: 0006_progress
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_participant_consent"
down_revision: str | None = "0006_progress"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Registrations made before consent was recorded count as not consented: a provider sees
    # an enterprise's needs only once the enterprise has said so.
    with op.batch_alter_table("eventparticipant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consented", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("eventparticipant", schema=None) as batch_op:
        batch_op.drop_column("consented")
