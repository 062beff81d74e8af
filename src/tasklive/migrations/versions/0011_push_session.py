"""push session: a push subscription remembers the sign-in that made it, so signing out drops it

Revision ID: 0011_push_session
Revises: 0010_push_reminders
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_push_session"
down_revision = "0010_push_reminders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("push_subscriptions") as batch_op:
        batch_op.add_column(sa.Column("session_id", sa.String(length=32), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_push_subscriptions_session_id"), ["session_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_push_subscriptions_session_id_auth_sessions"),
            "auth_sessions",
            ["session_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("push_subscriptions") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_push_subscriptions_session_id_auth_sessions"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_push_subscriptions_session_id"))
        batch_op.drop_column("session_id")
