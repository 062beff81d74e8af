"""task fields: due, priority, labels, list, recurrence, reminders, completion time; undo journal;
the user's time zone and calendar feed secret

Revision ID: 0003_task_fields
Revises: 0002_auth_throttle
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_task_fields"
down_revision = "0002_auth_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as tasks:
        tasks.add_column(sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
        tasks.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        tasks.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        tasks.add_column(sa.Column("due_offset", sa.Integer(), nullable=True))
        tasks.add_column(sa.Column("due_sort", sa.DateTime(timezone=True), nullable=True))
        tasks.add_column(sa.Column("priority", sa.Integer(), nullable=True))
        tasks.add_column(sa.Column("labels", sa.JSON(), nullable=False, server_default="[]"))
        tasks.add_column(sa.Column("list", sa.String(length=100), nullable=True))
        tasks.add_column(sa.Column("recurrence", sa.String(length=500), nullable=True))
        tasks.add_column(sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True))
        tasks.add_column(sa.Column("remind_offset", sa.Integer(), nullable=True))
        tasks.add_column(
            sa.Column("reminder_sent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        tasks.create_index("ix_tasks_reminders_due", ["reminder_sent", "remind_at"])
    # Tasks completed before this revision get their last change as completion time.
    op.execute("UPDATE tasks SET completed_at = updated_at WHERE completed")
    with op.batch_alter_table("tool_calls") as calls:
        calls.add_column(sa.Column("changes", sa.JSON(), nullable=False, server_default="[]"))
        calls.add_column(sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("users") as users:
        users.add_column(
            sa.Column("timezone", sa.String(length=64), nullable=False, server_default="UTC")
        )
        users.add_column(sa.Column("calendar_secret", sa.String(length=64), nullable=True))
        users.create_unique_constraint("uq_users_calendar_secret", ["calendar_secret"])


def downgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.drop_constraint("uq_users_calendar_secret", type_="unique")
        users.drop_column("calendar_secret")
        users.drop_column("timezone")
    with op.batch_alter_table("tool_calls") as calls:
        calls.drop_column("undone_at")
        calls.drop_column("changes")
    with op.batch_alter_table("tasks") as tasks:
        tasks.drop_index("ix_tasks_reminders_due")
        for column in (
            "reminder_sent",
            "remind_offset",
            "remind_at",
            "recurrence",
            "list",
            "labels",
            "priority",
            "due_sort",
            "due_offset",
            "due_at",
            "due_date",
            "completed_at",
        ):
            tasks.drop_column(column)
