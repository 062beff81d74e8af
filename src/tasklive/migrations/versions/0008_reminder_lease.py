"""reminder lease: a reminder is marked sent only after it went out; a dead sender's lease expires

Revision ID: 0008_reminder_lease
Revises: 0007_approve_deletes
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_reminder_lease"
down_revision = "0007_approve_deletes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("reminder_claim", sa.String(length=32), nullable=True))
    op.add_column(
        "tasks", sa.Column("reminder_claimed_until", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("tasks", "reminder_claimed_until")
    op.drop_column("tasks", "reminder_claim")
