"""Tasks as calendar objects: read, write and remove them the way a calendar client does."""

import hashlib
from dataclasses import dataclass
from typing import Any

from tasklive.errors import PreconditionFailedError, TaskliveError
from tasklive.tasks.collections import by_names, by_uid, list_of
from tasklive.tasks.ical import todo_object
from tasklive.tasks.models import Task, TaskList
from tasklive.tasks.service import ClientCopy, TaskNotFoundError, TaskService
from tasklive.tasks.vtodo import changed, read_object, task_fields


class UidConflictError(TaskliveError, status=403, code="uid_conflict"):
    """Another of the user's tasks has this UID (or this resource holds another UID)."""


STALE = "The task changed since your copy was read (its ETag differs)."


def etag(task: Any, zone: str) -> str:
    """A strong ETag: it changes with every change of the task, and with the user's zone where
    the task's calendar data depends on it (see changelog.zone_dependent)."""
    moves = task.due_at is not None or (task.remind_time is not None and bool(task.ical))
    stamp = f"{task.id}|{task.updated_at.isoformat()}|{zone if moves else ''}".encode()
    return f'"{hashlib.sha1(stamp, usedforsecurity=False).hexdigest()[:24]}"'


def _listed(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def check_preconditions(
    current: str | None, if_match: str | None, if_none_match: str | None
) -> None:
    """If-Match / If-None-Match against the resource's ETag (None: it does not exist)."""
    if if_match is not None:
        wanted = _listed(if_match)
        if current is None or not ("*" in wanted or current in wanted):
            raise PreconditionFailedError(STALE)
    if if_none_match is not None and current is not None:
        wanted = _listed(if_none_match)
        if "*" in wanted or current in wanted:
            raise PreconditionFailedError("A task exists at this address already.")


@dataclass(frozen=True)
class Written:
    """The task a PUT stored, its new ETag, and whether it was new."""

    task: Task
    etag: str
    created: bool


async def render(tasks: TaskService, task: Task) -> tuple[str, str]:
    """A task's calendar object text and ETag."""
    zone = await tasks.zone()
    return todo_object(task, zone), etag(task, zone.key)


async def put_object(
    tasks: TaskService,
    row: TaskList,
    name: str,
    data: bytes,
    *,
    if_match: str | None = None,
    if_none_match: str | None = None,
) -> Written:
    """Store a client's VTODO at `name` in a list: a new task, or a change of the one there.

    The text is kept as sent; only fields whose value changed are written, so a reminder
    already sent is not armed again by an unrelated edit.
    """
    zone = await tasks.zone()
    parsed = read_object(data, zone)
    existing = (await by_names(tasks.session, tasks.user_id, row, [name])).get(name)
    check_preconditions(etag(existing, zone.key) if existing else None, if_match, if_none_match)
    copy = ClientCopy(parsed.uid, parsed.text, name)
    fields = parsed.fields
    if existing is not None:
        if existing.uid != parsed.uid:
            raise UidConflictError("This address holds a task with another UID.")
        differ = changed(task_fields(existing), fields, zone)
        values = {key: getattr(fields, key) for key in differ}
        task = await tasks.update(existing, copy=copy, **values)
        return Written(task, etag(task, zone.key), created=False)
    if await by_uid(tasks.session, tasks.user_id, parsed.uid) is not None:
        raise UidConflictError("Another task has this UID already.")
    task = await tasks.create(
        fields.title,
        fields.description,
        copy=copy,
        completed=fields.completed,
        list=list_of(row),
        **fields.task_fields(),
    )
    return Written(task, etag(task, zone.key), created=True)


async def delete_object(
    tasks: TaskService, row: TaskList, name: str, *, if_match: str | None = None
) -> None:
    """Remove the task at `name` (it can be undone like any delete)."""
    zone = await tasks.zone()
    existing = (await by_names(tasks.session, tasks.user_id, row, [name])).get(name)
    if existing is None:
        raise TaskNotFoundError("Task not found.")
    check_preconditions(etag(existing, zone.key), if_match, None)
    await tasks.delete(existing)


async def move_object(
    tasks: TaskService, row: TaskList, name: str, target: TaskList, target_name: str
) -> Task:
    """Move a task to another list (or name) the way a client moves a calendar object: it keeps
    its number, UID and history."""
    task = (await by_names(tasks.session, tasks.user_id, row, [name])).get(name)
    if task is None:
        raise TaskNotFoundError("Task not found.")
    there = (await by_names(tasks.session, tasks.user_id, target, [target_name])).get(target_name)
    if there is not None and there.id != task.id:
        raise PreconditionFailedError("A task exists at the destination already.")
    copy = ClientCopy(str(task.uid), task.ical, target_name)
    return await tasks.update(task, copy=copy, list=list_of(target))
