"""The task change log: which calendar resource of which list changed, numbered per user.

CalDAV's ctags and sync tokens are these numbers; the task service writes it for every source.
"""

from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import User
from tasklive.db import utcnow
from tasklive.tasks.models import Task, TaskChangeEntry

_users = User.__table__
# Each unit of work that changed tasks takes the user's next change number (the row lock
# orders the user's writers, so change numbers are committed in order: sync tokens rely on it).
_NEXT_CHANGE = (
    update(_users)
    .where(_users.c.id == bindparam("p_user"))
    .values(change_seq=_users.c.change_seq + 1)
    .returning(_users.c.change_seq)
)
_LOG = insert(TaskChangeEntry.__table__)


def resource_name(task: Task | dict[str, Any]) -> str:
    """The name of a task's calendar object in its collection: the client's, or `<id>.ics`."""
    values = task if isinstance(task, dict) else {"href": task.href, "id": task.id}
    return values.get("href") or f"{values['id']}.ics"


def _log_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Change-log rows for one journal entry; a task moved to another list leaves its old one."""
    before, after = entry.get("before"), entry.get("after")
    rows = []
    moved = after is None or before is None or before.get("list_name") != after.get("list_name")
    if before and (moved or after is None or resource_name(before) != resource_name(after)):
        rows.append((before, True))
    if after:
        rows.append((after, False))
    return [
        {
            "list": values.get("list_name") or "",
            "name": resource_name(values),
            "task_id": values["id"],
            "deleted": deleted,
        }
        for values, deleted in rows
    ]


async def log_changes(
    session: AsyncSession, user_id: str, entries: list[dict[str, Any]], seq: int | None = None
) -> None:
    """Write the change log of journal entries (`before`/`after` rows with at least id,
    list_name and href) under one change number of the user: `seq` if this unit of work
    took it already, else the next one."""
    rows = [row for entry in entries for row in _log_rows(entry)]
    if not rows:
        return
    if seq is None:
        seq = await session.scalar(_NEXT_CHANGE, {"p_user": user_id})
    now = utcnow()
    for row in rows:
        row.update(user_id=user_id, seq=seq, created_at=now)
    await session.execute(_LOG, rows)


def zone_dependent() -> Any:
    """Tasks whose calendar data changes with the user's zone: a timed due is written in it,
    and a client's floating DUE or alarm is read in it. An all-day task's is the same anywhere,
    and so is a reminder tasklive writes (in UTC)."""
    return Task.due_at.is_not(None) | (Task.remind_time.is_not(None) & Task.ical.is_not(None))


async def log_zone_change(session: AsyncSession, user_id: str) -> None:
    """A change of the user's zone as a change of every task whose calendar data it moves, so
    CalDAV clients fetch them again."""
    rows = await session.execute(
        select(Task.id, Task.list_name, Task.href).where(Task.user_id == user_id, zone_dependent())
    )
    entries = [{"after": {"id": i, "list_name": n, "href": h}} for i, n, h in rows]
    await log_changes(session, user_id, entries)
