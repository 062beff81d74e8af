"""caldav: tasks get an iCalendar UID (existing ones too), the client's VTODO text and resource
name; lists get a collection row (path segment, color); a change log numbered per user

Revision ID: 0009_caldav
Revises: 0008_reminder_lease
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_caldav"
down_revision = "0008_reminder_lease"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild, see 0003): SQLite would cascade a rebuilt table away.
    op.add_column("tasks", sa.Column("uid", sa.String(length=255), nullable=True))
    op.add_column("tasks", sa.Column("ical", sa.Text(), nullable=True))
    op.add_column("tasks", sa.Column("href", sa.String(length=255), nullable=True))
    # The UID the .ics feed has always given these tasks.
    op.execute("UPDATE tasks SET uid = id || '@tasklive'")
    op.create_index("ix_tasks_user_uid", "tasks", ["user_id", "uid"], unique=True)
    op.create_index("ix_tasks_user_href", "tasks", ["user_id", "href"])
    op.add_column(
        "users", sa.Column("change_seq", sa.Integer(), nullable=False, server_default="0")
    )
    op.create_table(
        "task_lists",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("user_id", sa.String(length=32), sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("href", sa.String(length=255), nullable=False),
        sa.Column("color", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "name"),
        sa.UniqueConstraint("user_id", "href"),
    )
    op.create_table(
        "task_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("user_id", sa.String(length=32), sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("list", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_task_changes_user_list_seq", "task_changes", ["user_id", "list", "seq"])


def downgrade() -> None:
    op.drop_index("ix_task_changes_user_list_seq", table_name="task_changes")
    op.drop_table("task_changes")
    op.drop_table("task_lists")
    op.drop_column("users", "change_seq")
    op.drop_index("ix_tasks_user_href", table_name="tasks")
    op.drop_index("ix_tasks_user_uid", table_name="tasks")
    op.drop_column("tasks", "href")
    op.drop_column("tasks", "ical")
    op.drop_column("tasks", "uid")
