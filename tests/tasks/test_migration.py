"""The task-fields migration keeps the tasks, users and audit records that were there."""

import json

from alembic import command
from sqlalchemy import text

from tasklive.db import _alembic_config, create_engine, upgrade_schema

BEFORE = "0002_auth_throttle"


async def test_existing_rows_survive_and_get_the_new_fields(database_url):
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(lambda c: command.upgrade(_alembic_config(c), BEFORE))
            await connection.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, last_task_number,"
                    " created_at) VALUES ('u1', 'old@example.com', 'Old', 'x', 2,"
                    " '2026-11-01 10:00:00+00:00')"
                )
            )
            for number, completed in ((1, False), (2, True)):
                await connection.execute(
                    text(
                        "INSERT INTO tasks (id, user_id, number, title, description, completed,"
                        " created_at, updated_at) VALUES (:id, 'u1', :number, :title, '',"
                        " :completed, '2026-11-01 10:00:00+00:00', '2026-11-02 10:00:00+00:00')"
                    ),
                    {
                        "id": f"t{number}",
                        "number": number,
                        "title": f"old {number}",
                        "completed": completed,
                    },
                )
        await upgrade_schema(engine)
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    text(
                        "SELECT number, title, completed, completed_at IS NOT NULL, labels,"
                        " priority, reminder_sent FROM tasks ORDER BY number"
                    )
                )
            ).all()
            zone = await connection.scalar(text("SELECT timezone FROM users WHERE id = 'u1'"))
    finally:
        await engine.dispose()
    labels = [row[4] if isinstance(row[4], list) else json.loads(row[4]) for row in rows]
    assert [(r[0], r[1], bool(r[2]), bool(r[3]), r[5], bool(r[6])) for r in rows] == [
        (1, "old 1", False, False, None, False),
        (2, "old 2", True, True, None, False),
    ]
    assert labels == [[], []]
    assert zone == "UTC"


async def test_existing_tasks_get_the_uid_the_feed_always_gave_them(database_url):
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(
                lambda c: command.upgrade(_alembic_config(c), "0008_reminder_lease")
            )
            await connection.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, last_task_number,"
                    " created_at) VALUES ('u1', 'old@example.com', 'Old', 'x', 1,"
                    " '2026-11-01 10:00:00+00:00')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO tasks (id, user_id, number, title, description, completed,"
                    " created_at, updated_at) VALUES ('t1', 'u1', 1, 'old', '', false,"
                    " '2026-11-01 10:00:00+00:00', '2026-11-02 10:00:00+00:00')"
                )
            )
        await upgrade_schema(engine)
        async with engine.connect() as connection:
            row = (await connection.execute(text("SELECT uid, ical, href FROM tasks"))).one()
            seq = await connection.scalar(text("SELECT change_seq FROM users"))
    finally:
        await engine.dispose()
    assert tuple(row) == ("t1@tasklive", None, None)
    assert seq == 0
