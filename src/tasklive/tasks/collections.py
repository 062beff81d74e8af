"""Task lists as calendar collections, and what changed in one since a change number."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import User
from tasklive.db import new_id, rows_matched, utcnow
from tasklive.errors import ConflictError, InvalidInputError
from tasklive.tasks.events import change_of
from tasklive.tasks.journal import snapshot
from tasklive.tasks.models import Task, TaskChangeEntry, TaskList
from tasklive.tasks.schemas import clean_list
from tasklive.tasks.service import TaskService

# The collection of tasks without a list; no list's path segment can be this.
NO_LIST = "tasks"


class ListExistsError(ConflictError, code="list_exists"):
    """A list (or collection path) of that name exists already."""


def list_of(row: TaskList) -> str | None:
    """The task `list` value a collection stands for (None: tasks without a list)."""
    return row.name or None


def _insert(session: AsyncSession) -> postgresql.Insert | sqlite.Insert:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(TaskList.__table__)


async def collections(session: AsyncSession, user_id: str) -> list[TaskList]:
    """The user's collections: the no-list one first, then one per list (rows made for lists
    that only tasks name so far)."""
    names = {
        name
        for name in await session.scalars(
            select(Task.list_name).where(Task.user_id == user_id, Task.list_name.is_not(None))
        )
        if name is not None
    }
    rows = list(await session.scalars(select(TaskList).where(TaskList.user_id == user_id)))
    missing = names - {row.name for row in rows}
    if "" not in {row.name for row in rows}:
        missing.add("")
    if missing:
        now = utcnow()
        values = [
            {
                "id": new_id(),
                "user_id": user_id,
                "name": name,
                "href": NO_LIST if name == "" else new_id(),
                "created_at": now,
            }
            for name in sorted(missing)
        ]
        await session.execute(_insert(session).on_conflict_do_nothing(), values)
        await session.commit()
        rows = list(await session.scalars(select(TaskList).where(TaskList.user_id == user_id)))
    return sorted(rows, key=lambda row: (row.name != "", row.name.lower()))


async def collection(session: AsyncSession, user_id: str, href: str) -> TaskList | None:
    """The collection at that path segment, if the user has it."""
    row = await session.scalar(
        select(TaskList).where(TaskList.user_id == user_id, TaskList.href == href)
    )
    if row is None and href == NO_LIST:
        row = TaskList(id="", user_id=user_id, name="", href=NO_LIST, color=None)
    return row


async def create_list(
    session: AsyncSession, user_id: str, href: str, name: str, color: str | None
) -> TaskList:
    """A new, empty list at a client-chosen path segment (MKCALENDAR)."""
    try:
        name = clean_list(name)
    except ValueError as exc:
        raise InvalidInputError("A list name has 1-100 characters.") from exc
    taken = await session.scalar(
        select(func.count())
        .select_from(TaskList)
        .where(
            TaskList.user_id == user_id,
            (TaskList.href == href) | (func.lower(TaskList.name) == name.lower()),
        )
    )
    if taken or href == NO_LIST:
        raise ListExistsError("A list with that name or path exists already.")
    row = TaskList(
        id=new_id(), user_id=user_id, name=name, href=href, color=color, created_at=utcnow()
    )
    session.add(row)
    await session.commit()
    return row


def set_color(session: AsyncSession, row: TaskList, color: str | None) -> None:
    """Give a collection a color, committed with the caller's other changes (the no-list
    collection gets its row here)."""
    if not row.id:
        row.id, row.created_at = new_id(), utcnow()
        session.add(row)
    row.color = color


async def name_taken(session: AsyncSession, user_id: str, name: str) -> bool:
    """Whether another list already has this name."""
    found = await session.scalar(
        select(TaskList.id).where(TaskList.user_id == user_id, TaskList.name == name)
    )
    return found is not None


async def rename_list(tasks: TaskService, row: TaskList, name: str) -> None:
    """Rename a list and move its tasks with it, as one change that can be undone."""
    try:
        new = clean_list(name)
    except ValueError as exc:
        raise InvalidInputError("A list name has 1-100 characters.") from exc
    old = row.name
    if new == old:
        return
    if not old or await name_taken(tasks.session, tasks.user_id, new):
        raise ListExistsError("A list of that name exists already.")
    members = list(await tasks.session.scalars(tasks.mine().where(Task.list_name == old)))
    entries, changes = [], []
    now = utcnow()
    for task in members:
        before = snapshot(task)
        task.list_name, task.updated_at = new, now
        entries.append({"before": before, "after": snapshot(task)})
        changes.append(change_of("updated", task))
    row.name = new
    tasks.stage(changes, entries)
    tasks.record(
        "rename_list", {"from": old, "to": new}, ok=True, outcome=f"Renamed {old} to {new}"
    )
    await tasks.finish()


async def delete_list(tasks: TaskService, row: TaskList) -> int:
    """Remove a list and its tasks as one change (undo brings the tasks back); returns how
    many tasks went with it."""
    members = list(await tasks.session.scalars(members_query(tasks.user_id, row)))
    entries = [{"before": snapshot(task), "after": None} for task in members]
    changes = [change_of("deleted", task) for task in members]
    for task in members:
        await tasks.session.delete(task)
    await tasks.session.delete(row)
    tasks.stage(changes, entries)
    if members:
        count = f"{len(members)} task" + ("s" if len(members) != 1 else "")
        outcome = f"Deleted list {row.name} and its {count}"
        tasks.record("delete_list", {"list": row.name}, ok=True, outcome=outcome)
    await tasks.finish()
    return len(members)


async def token(session: AsyncSession, user_id: str, row: TaskList) -> int:
    """The collection's latest change number (its ctag and sync token); 0 before any change."""
    seq = await session.scalar(
        select(func.max(TaskChangeEntry.seq)).where(
            TaskChangeEntry.user_id == user_id, TaskChangeEntry.list_name == row.name
        )
    )
    return seq or 0


async def latest_change(session: AsyncSession, user_id: str) -> int:
    """The user's latest change number over all lists."""
    return await session.scalar(select(User.change_seq).where(User.id == user_id)) or 0


async def token_valid(session: AsyncSession, user_id: str, seq: int) -> bool:
    """Whether every change after `seq` is still in the log (change numbers are dense per user,
    so a gap below the oldest kept entry means older entries were pruned)."""
    latest = await latest_change(session, user_id)
    if not 0 <= seq <= latest:
        return False
    if seq == latest:
        return True
    oldest = await session.scalar(
        select(func.min(TaskChangeEntry.seq)).where(TaskChangeEntry.user_id == user_id)
    )
    return oldest is not None and seq >= oldest - 1


async def prune_changes(session: AsyncSession, days: int) -> int:
    """Forget change-log entries older than `days`; clients syncing from before then start over."""
    cutoff = utcnow() - timedelta(days=days)
    result = await session.execute(
        delete(TaskChangeEntry).where(TaskChangeEntry.created_at < cutoff)
    )
    await session.commit()
    return rows_matched(result)


@dataclass(frozen=True)
class Changed:
    """A resource changed since a sync token: its task (None when it is gone) by name."""

    name: str
    task: Task | None


def in_list(name: str | None) -> Any:
    """A condition on tasks: in the list of this name (None: in no list)."""
    return Task.list_name.is_(None) if name is None else Task.list_name == name


def members_query(user_id: str, row: TaskList) -> Any:
    """A query over the tasks in a collection."""
    return select(Task).where(Task.user_id == user_id, in_list(list_of(row)))


async def by_names(
    session: AsyncSession, user_id: str, row: TaskList, names: list[str]
) -> dict[str, Task]:
    """The collection's tasks whose resource names are these."""
    if not names:
        return {}
    ids = [name.removesuffix(".ics") for name in names if name.endswith(".ics")]
    query = members_query(user_id, row).where(
        Task.href.in_(names) | (Task.href.is_(None) & Task.id.in_(ids))
    )
    return {task.href or f"{task.id}.ics": task for task in await session.scalars(query)}


async def by_uid(session: AsyncSession, user_id: str, uid: str) -> Task | None:
    """The user's task with this iCalendar UID, in any list."""
    return await session.scalar(select(Task).where(Task.user_id == user_id, Task.uid == uid))
