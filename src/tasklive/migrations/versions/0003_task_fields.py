"""task fields: due, priority, labels, list, recurrence, reminders, completion time; undo journal;
the user's time zone and calendar feed secret

Revision ID: 0003_task_fields
Revises: 0002_auth_throttle
Create Date: 2026-12-01
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_task_fields"
down_revision = "0002_auth_throttle"
branch_labels = None
depends_on = None


# Plain ALTER TABLE ADD COLUMN, never a batch rebuild: on SQLite rebuilding `users` would drop
# it, and ON DELETE CASCADE would take every task and conversation with it.
TASK_COLUMNS: list[sa.Column[Any]] = [
    sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("due_date", sa.Date(), nullable=True),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("due_offset", sa.Integer(), nullable=True),
    sa.Column("due_sort", sa.DateTime(timezone=True), nullable=True),
    sa.Column("priority", sa.Integer(), nullable=True),
    sa.Column("labels", sa.JSON(), nullable=False, server_default="[]"),
    sa.Column("list", sa.String(length=100), nullable=True),
    sa.Column("recurrence", sa.String(length=500), nullable=True),
    sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("remind_offset", sa.Integer(), nullable=True),
    sa.Column("reminder_sent", sa.Boolean(), nullable=False, server_default=sa.false()),
]


def upgrade() -> None:
    for column in TASK_COLUMNS:
        op.add_column("tasks", column)
    op.create_index("ix_tasks_reminders_due", "tasks", ["reminder_sent", "remind_at"])
    # Tasks completed before this revision get their last change as completion time.
    op.execute("UPDATE tasks SET completed_at = updated_at WHERE completed")
    op.add_column(
        "tool_calls", sa.Column("changes", sa.JSON(), nullable=False, server_default="[]")
    )
    op.add_column("tool_calls", sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "users", sa.Column("timezone", sa.String(length=64), nullable=False, server_default="UTC")
    )
    op.add_column("users", sa.Column("calendar_secret", sa.String(length=64), nullable=True))
    op.create_index("ix_users_calendar_secret", "users", ["calendar_secret"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_users_calendar_secret", table_name="users")
    op.drop_column("users", "calendar_secret")
    op.drop_column("users", "timezone")
    op.drop_column("tool_calls", "undone_at")
    op.drop_column("tool_calls", "changes")
    op.drop_index("ix_tasks_reminders_due", table_name="tasks")
    for column in reversed(TASK_COLUMNS):
        op.drop_column("tasks", column.name)
