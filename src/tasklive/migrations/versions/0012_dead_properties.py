"""dead properties: a CalDAV app's own properties on a list or the calendar home are stored

Revision ID: 0012_dead_properties
Revises: 0011_push_session
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_dead_properties"
down_revision = "0011_push_session"
branch_labels = None
depends_on = None

_ON_HOME = sa.text("list_id IS NULL")


def upgrade() -> None:
    op.create_table(
        "dav_properties",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("list_id", sa.String(length=32), nullable=True),
        sa.Column("namespace", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_dav_properties_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["task_lists.id"],
            name=op.f("fk_dav_properties_list_id_task_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dav_properties")),
        sa.UniqueConstraint(
            "user_id",
            "list_id",
            "namespace",
            "name",
            name=op.f("uq_dav_properties_user_id_list_id_namespace_name"),
        ),
    )
    op.create_index(op.f("ix_dav_properties_list_id"), "dav_properties", ["list_id"])
    op.create_index(
        "ix_dav_properties_home",
        "dav_properties",
        ["user_id", "namespace", "name"],
        unique=True,
        sqlite_where=_ON_HOME,
        postgresql_where=_ON_HOME,
    )


def downgrade() -> None:
    op.drop_index("ix_dav_properties_home", table_name="dav_properties")
    op.drop_index(op.f("ix_dav_properties_list_id"), table_name="dav_properties")
    op.drop_table("dav_properties")
