"""A user's tasks and activity read page by page (a short transaction each), as export text."""

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.auth.models import User
from tasklive.tasks.models import Task, ToolCallRecord, our_uid
from tasklive.tasks.transfer import backup, taskwarrior, todoist
from tasklive.tasks.transfer.items import Item, task_values

PAGE = 500
Pages = AsyncIterator[list[Any]]


def item_of(task: Task) -> Item:
    """A stored task as a format-free Item."""
    return Item(
        ref=f"task {task.number}",
        uid=task.uid or our_uid(task.id),
        id=task.id,
        number=task.number,
        list_name=task.list_name,
        created_at=task.created_at,
        updated_at=task.updated_at,
        **task_values(task),
    )


async def _keyset_pages(
    sessionmaker: async_sessionmaker[AsyncSession], query: Select[Any], key: tuple[Any, ...]
) -> Pages:
    """The rows of `query` in the order of the `key` columns, a page (a transaction) at a time."""
    after: tuple[Any, ...] | None = None
    while True:
        paged = query
        if after is not None:
            paged = query.where(tuple_(*key) > after if len(key) > 1 else key[0] > after[0])
        async with sessionmaker() as session:
            page = list(await session.scalars(paged.order_by(*key).limit(PAGE)))
        if not page:
            return
        after = tuple(getattr(page[-1], column.key) for column in key)
        yield page


def task_rows(sessionmaker: async_sessionmaker[AsyncSession], user_id: str) -> Pages:
    """The user's tasks in number order, completed too, a page at a time."""
    return _keyset_pages(sessionmaker, select(Task).where(Task.user_id == user_id), (Task.number,))


async def task_pages(sessionmaker: async_sessionmaker[AsyncSession], user_id: str) -> Pages:
    """The same as format-free Items."""
    async for page in task_rows(sessionmaker, user_id):
        yield [item_of(task) for task in page]


def _activity(record: ToolCallRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "source": record.source,
        "tool": record.tool,
        "args": record.args,
        "ok": record.ok,
        "outcome": record.outcome,
        "run_id": record.run_id,
        "changes": record.changes,
        "undone_at": record.undone_at,
        "created_at": record.created_at,
    }


async def activity_pages(sessionmaker: async_sessionmaker[AsyncSession], user_id: str) -> Pages:
    """The user's activity records, oldest first, a page at a time."""
    query = select(ToolCallRecord).where(ToolCallRecord.user_id == user_id)
    key = (ToolCallRecord.created_at, ToolCallRecord.id)
    async for page in _keyset_pages(sessionmaker, query, key):
        yield [_activity(record) for record in page]


async def account(sessionmaker: async_sessionmaker[AsyncSession], user: User) -> dict[str, Any]:
    """The export's head: format, version, the account, and its lists and labels."""
    async with sessionmaker() as session:
        lists = await session.scalars(
            select(Task.list_name)
            .where(Task.user_id == user.id, Task.list_name.is_not(None))
            .group_by(Task.list_name)
            .order_by(func.min(Task.number))
        )
        label_rows = await session.scalars(select(Task.labels).where(Task.user_id == user.id))
        labels: dict[str, None] = {}
        for row in label_rows:
            labels.update(dict.fromkeys(row or []))
        list_names = list(lists)
    return {
        "format": backup.FORMAT,
        "version": backup.VERSION,
        "exported_at": datetime.now(UTC),
        "user": {
            "email": user.email,
            "name": user.name,
            "timezone": user.timezone,
            "last_task_number": user.last_task_number,
        },
        "lists": list_names,
        "labels": list(labels),
    }


async def json_document(head: dict[str, Any], sections: dict[str, Pages]) -> AsyncIterator[str]:
    """The export as JSON text, an object per line inside each section's array."""
    text = backup.dumps(head)
    yield text[:-1]
    for name, pages in sections.items():
        yield f',\n"{name}": ['
        first = True
        async for page in pages:
            lines = [backup.dumps(backup.task_json(v) if isinstance(v, Item) else v) for v in page]
            yield ("\n" if first else ",\n") + ",\n".join(lines)
            first = False
        yield "\n]"
    yield "}\n"


async def lines(
    pages: Pages, head: str, each: Callable[[Item], str], tail: str, joiner: str = ""
) -> AsyncIterator[str]:
    """Each task as one line of text between a head and a tail."""
    yield head
    first = True
    async for page in pages:
        yield ("" if first else joiner) + joiner.join(each(item) for item in page)
        first = False
    yield tail


def csv_document(pages: Pages, zone: ZoneInfo) -> AsyncIterator[str]:
    return lines(pages, todoist.header(), lambda item: todoist.row(item, zone), "")


def taskwarrior_document(pages: Pages, zone: ZoneInfo) -> AsyncIterator[str]:
    return lines(pages, "[\n", lambda item: taskwarrior.line(item, zone), "\n]\n", ",\n")
