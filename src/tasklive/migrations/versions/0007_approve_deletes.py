"""approve_deletes: a user's setting that single deletes ask for approval too

Revision ID: 0007_approve_deletes
Revises: 0006_approvals
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_approve_deletes"
down_revision = "0006_approvals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch rebuild of `users` (see 0003): existing users get false.
    op.add_column(
        "users",
        sa.Column("approve_deletes", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("users", "approve_deletes")
