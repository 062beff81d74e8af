"""The only code that writes tasks; REST, agent tools and MCP all call it."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_core import to_jsonable_python
from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import User
from tasklive.auth.zones import zone_named
from tasklive.db import insert_row, new_id, utcnow
from tasklive.errors import NotFoundError
from tasklive.tasks.changelog import log_changes
from tasklive.tasks.events import TaskChange, TaskNotifier, change_of, no_notifier
from tasklive.tasks.fields import FIELDS, as_instant, place_fields
from tasklive.tasks.journal import snapshot
from tasklive.tasks.models import Task, ToolCallRecord, our_uid
from tasklive.tasks.numbers import take_number_and_change, take_numbers
from tasklive.tasks.recurrence import next_due
from tasklive.tasks.schemas import Status, clean_description, clean_title
from tasklive.tasks.views import LocalDay, TaskFilter, filtered, ordered

MAX_PAGE = 200


class TaskNotFoundError(NotFoundError):
    """No such task for this user (another user's task looks exactly the same)."""


@dataclass(frozen=True)
class ClientCopy:
    """A task as a calendar client holds it: its UID, the VTODO text it sent, its resource name."""

    uid: str
    ical: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class TaskCounts:
    total: int
    pending: int
    completed: int


class TaskService:
    """Task operations scoped to one user.

    Every committed change is journaled (rows before and after) on an activity record, so it
    can be undone. Inside a tool call (`deferred`) the caller writes that record and commits.
    """

    def __init__(
        self,
        session: AsyncSession,
        user_id: str,
        notify: TaskNotifier | None = None,
        *,
        source: str = "rest",
        deferred: bool = False,
        run_id: str | None = None,
        zone: ZoneInfo | None = None,
    ) -> None:
        self.session = session
        self.user_id = user_id
        self.notify = notify or no_notifier
        self.source = source
        self.deferred = deferred
        self.run_id = run_id
        self.journal: list[dict[str, Any]] = []
        self._pending: list[TaskChange] = []
        self._records: list[ToolCallRecord] = []
        self._unlogged: list[dict[str, Any]] = []
        self._change_seq: int | None = None  # the change number this unit of work took
        self._zone = zone  # a caller that knows the user's zone spares reading it

    def mine(self) -> Select[Task]:
        """A query over this user's tasks."""
        return select(Task).where(Task.user_id == self.user_id)

    async def zone(self) -> ZoneInfo:
        """The user's time zone."""
        if self._zone is None:
            name = await self.session.scalar(select(User.timezone).where(User.id == self.user_id))
            self._zone = zone_named(name)
        return self._zone

    async def _commit(
        self, tool: str, args: dict[str, Any], changes: list[TaskChange], entries: list[Any]
    ) -> None:
        self.stage(changes, entries)
        if self.deferred:
            await self.session.flush()
            return
        if entries:
            outcome = "; ".join(change.message for change in changes)
            self.record(tool, args, ok=True, outcome=outcome)
        await self.finish()

    def stage(self, changes: list[TaskChange], entries: list[dict[str, Any]]) -> None:
        """Changes made in this session, to journal and announce once committed."""
        self.journal.extend(entries)
        self._unlogged.extend(entries)
        self._pending.extend(changes)

    def record(self, tool: str, args: dict[str, Any], *, ok: bool, outcome: str) -> None:
        """Add the activity record of this call, with the journal of what it changed."""
        self._records.append(
            ToolCallRecord(
                user_id=self.user_id,
                source=self.source,
                tool=tool,
                args=args,
                ok=ok,
                outcome=outcome,
                changes=list(self.journal) if ok else [],
                run_id=self.run_id,
            )
        )

    async def finish(self) -> None:
        """Store the activity records, commit, then announce the changes since the last commit."""
        records, self._records = self._records, []
        for record in records:
            await insert_row(self.session, record)
        entries, self._unlogged = self._unlogged, []
        await log_changes(self.session, self.user_id, entries, self._change_seq)
        await self.session.commit()
        self._change_seq = None
        changes, self._pending = self._pending, []
        if changes:
            await self.notify(self.user_id, changes)

    def discard(self) -> None:
        """Forget the changes of a rolled-back call."""
        self._unlogged.clear()
        self._change_seq = None
        self.journal.clear()
        self._pending.clear()
        self._records.clear()

    async def list(
        self, wanted: TaskFilter | Status | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[Task], int]:
        """A page of the tasks `wanted` asks for (or just a status), with the total that match."""
        if not isinstance(wanted, TaskFilter):
            wanted = TaskFilter(status=wanted or "all")
        zone = await self.zone() if wanted.view else ZoneInfo("UTC")
        day = LocalDay.of(utcnow(), zone)
        query = filtered(self.mine(), wanted, day)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        limit = max(1, min(limit, MAX_PAGE))
        rows = await self.session.scalars(
            ordered(query, wanted.sort).limit(limit).offset(max(0, offset))
        )
        return list(rows), total or 0

    async def counts(self) -> TaskCounts:
        """How many tasks there are, and how many are pending or completed."""
        rows = await self.session.execute(
            select(Task.completed, func.count())
            .where(Task.user_id == self.user_id)
            .group_by(Task.completed)
        )
        by_state = {completed: count for completed, count in rows.all()}
        pending, completed = by_state.get(False, 0), by_state.get(True, 0)
        return TaskCounts(pending + completed, pending, completed)

    async def get(self, task_id: str) -> Task:
        """One of the user's tasks by id."""
        task = await self.session.scalar(self.mine().where(Task.id == task_id))
        if task is None:
            raise TaskNotFoundError("Task not found.")
        return task

    async def get_by_number(self, number: int) -> Task:
        """One of the user's tasks by the number they know it by."""
        task = await self.session.scalar(self.mine().where(Task.number == number))
        if task is None:
            raise TaskNotFoundError(f"Task #{number} doesn't exist.")
        return task

    async def next_number(self) -> int:
        """The next number of the user's tasks (never given out before)."""
        if self._change_seq is not None:
            number = await take_numbers(self.session, self.user_id)
        elif taken := await take_number_and_change(self.session, self.user_id):
            number, self._change_seq = taken
        else:
            number = None
        if number is None:
            raise TaskNotFoundError("Account not found.")
        return number

    async def _new(
        self,
        title: str,
        description: str,
        fields: dict[str, Any],
        copy: ClientCopy | None = None,
        completed: bool = False,
    ) -> Task:
        now = utcnow()
        task_id = new_id()
        task = Task(
            id=task_id,
            uid=copy.uid if copy else our_uid(task_id),
            ical=copy.ical if copy else None,
            href=copy.href if copy else None,
            user_id=self.user_id,
            number=await self.next_number(),
            title=title,
            description=description,
            completed=completed,
            completed_at=now if completed else None,
            labels=[],
            reminder_sent=False,
            created_at=now,
            updated_at=now,
        )
        await self._set_fields(task, fields)
        await insert_row(self.session, task)
        return task

    async def create(
        self,
        title: str,
        description: str | None = None,
        *,
        copy: ClientCopy | None = None,
        completed: bool = False,
        **fields: Any,
    ) -> Task:
        """A new task with the user's next number; `fields` are the optional task fields.

        `copy` is a calendar client's own copy (its UID kept); `completed` files it as done.
        """
        task = await self._new(
            clean_title(title), clean_description(description), fields, copy, completed
        )
        args = {"title": task.title, **_jsonable(fields)}
        await self._commit("add_task", args, [change_of("created", task)], [_entry(None, task)])
        return task

    async def update(self, task: Task, *, copy: ClientCopy | None = None, **fields: Any) -> Task:
        """Change the given fields (None clears an optional one); completing a repeating task
        also creates its next occurrence. `copy` is the VTODO text a calendar client sent."""
        before = snapshot(task)
        if copy is not None:
            task.ical = copy.ical
            task.href = copy.href or task.href
        if fields.get("title") is not None:
            task.title = clean_title(fields["title"])
        if "description" in fields:
            task.description = clean_description(fields["description"])
        await self._set_fields(task, {k: v for k, v in fields.items() if k in FIELDS})
        changes, entries = [], []
        completed = fields.get("completed")
        if completed is not None and completed != task.completed:
            task.completed = completed
            task.completed_at = utcnow() if completed else None
            if completed and task.recurrence and task.due is not None:
                following = await self._next_occurrence(task)
                if following is not None:
                    changes.append(change_of("created", following))
                    entries.append(_entry(None, following))
        task.updated_at = utcnow()
        changes.insert(0, change_of("updated", task))
        entries.insert(0, _entry(before, task))
        tool = "complete_task" if set(fields) == {"completed"} else "update_task"
        await self._commit(tool, {"number": task.number, **_jsonable(fields)}, changes, entries)
        return task

    async def _next_occurrence(self, task: Task) -> Task | None:
        zone = await self.zone()
        due = task.due
        assert due is not None and task.recurrence is not None
        following = next_due(task.recurrence, due, zone, utcnow())
        if following is None:
            return None
        fields: dict[str, Any] = {
            "due": following,
            "priority": task.priority,
            "labels": list(task.labels or []),
            "list": task.list_name,
            "recurrence": task.recurrence,
        }
        if task.remind_time is not None:
            fields["remind_at"] = task.remind_time + (
                as_instant(following, zone) - as_instant(due, zone)
            )
        return await self._new(task.title, task.description, fields)

    async def _set_fields(self, task: Task, fields: dict[str, Any]) -> None:
        zone = await self.zone() if "due" in fields or "remind_at" in fields else ZoneInfo("UTC")
        place_fields(task, fields, zone)

    async def delete(self, task: Task) -> None:
        """Remove a task; its number is never given out again."""
        change, entry = change_of("deleted", task), _entry(task, None)
        await self.session.delete(task)
        await self._commit("delete_task", {"number": task.number}, [change], [entry])

    async def set_all_completed(self, completed: bool = True) -> Sequence[Task]:
        """Mark every task complete (or pending); returns the ones that changed."""
        tasks = list(
            await self.session.scalars(
                self.mine().where(Task.completed != completed).order_by(Task.number)
            )
        )
        now = utcnow()
        entries = []
        for task in tasks:
            before = snapshot(task)
            task.completed, task.completed_at, task.updated_at = completed, now, now
            if not completed:
                task.completed_at = None
            entries.append(_entry(before, task))
        changes = [change_of("updated", task) for task in tasks]
        await self._commit("complete_all_tasks", {"completed": completed}, changes, entries)
        return tasks

    async def delete_all(self) -> int:
        """Remove every task; returns how many there were."""
        tasks = list(await self.session.scalars(self.mine().order_by(Task.number)))
        changes = [change_of("deleted", task) for task in tasks]
        entries = [_entry(task, None) for task in tasks]
        await self.session.execute(delete(Task).where(Task.user_id == self.user_id))
        await self._commit("delete_all_tasks", {}, changes, entries)
        return len(tasks)


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable_python(fields)
    return data


def _entry(before: Task | dict[str, Any] | None, after: Task | None) -> dict[str, Any]:
    if isinstance(before, Task):
        before = snapshot(before)
    return {"before": before, "after": snapshot(after) if after is not None else None}
