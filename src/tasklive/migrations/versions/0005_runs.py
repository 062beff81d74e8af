"""runs: durable, leased turn state

Revision ID: 0005_runs
Revises: 0004_sessions_and_tokens
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_runs"
down_revision = "0004_sessions_and_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_runs_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_runs_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_runs_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_runs_conversation_created", ["conversation_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_runs_status_lease", ["status", "lease_expires_at"], unique=False)
        batch_op.create_index("ix_runs_owner_status", ["owner", "status"], unique=False)
    # Turns that finished before runs existed: one finished run per stored user message.
    op.execute(
        """
        INSERT INTO runs (id, user_id, conversation_id, message_id, status, outcome,
                          cancel_requested, created_at, finished_at)
        SELECT m.run_id, m.user_id, m.conversation_id, m.id,
               CASE WHEN r.id IS NULL THEN 'interrupted' ELSE 'done' END,
               CASE WHEN r.id IS NULL THEN 'interrupted' ELSE 'ok' END,
               false, m.created_at, m.created_at
        FROM messages m
        LEFT JOIN messages r ON r.run_id = m.run_id AND r.role = 'assistant'
        WHERE m.role = 'user' AND m.run_id IS NOT NULL
        """
    )


def downgrade() -> None:
    op.drop_table("runs")
