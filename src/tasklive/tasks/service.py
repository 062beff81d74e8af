"""The only code that reads and writes tasks; REST, agent tools and MCP all call it."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.auth.models import User
from tasklive.db import utcnow
from tasklive.errors import NotFoundError
from tasklive.tasks.models import Task
from tasklive.tasks.schemas import Status, TaskOut, clean_description, clean_title

MAX_PAGE = 200


class TaskNotFoundError(NotFoundError):
    """No such task for this user (another user's task looks exactly the same)."""


@dataclass(frozen=True)
class TaskChange:
    """One committed change, for live `task_*` events."""

    kind: Literal["created", "updated", "deleted"]
    task: TaskOut
    message: str


TaskNotifier = Callable[[str, list[TaskChange]], Awaitable[None]]


async def _no_notifier(_: str, __: list[TaskChange]) -> None:
    return None


@dataclass(frozen=True)
class TaskCounts:
    total: int
    pending: int
    completed: int


class TaskService:
    """Task operations scoped to one user."""

    def __init__(
        self, session: AsyncSession, user_id: str, notify: TaskNotifier | None = None
    ) -> None:
        self.session = session
        self.user_id = user_id
        self.notify = notify or _no_notifier

    def _mine(self):  # type: ignore[no-untyped-def]
        return select(Task).where(Task.user_id == self.user_id)

    async def _commit(self, changes: list[TaskChange]) -> None:
        await self.session.commit()
        if changes:
            await self.notify(self.user_id, changes)

    async def list(
        self, status: Status = "all", q: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[Task], int]:
        """A page of tasks in number order, with the total that match."""
        query = self._mine()
        if status != "all":
            query = query.where(Task.completed == (status == "completed"))
        if q and q.strip():
            term = q.strip().lower()
            query = query.where(
                or_(
                    func.lower(Task.title).contains(term, autoescape=True),
                    func.lower(Task.description).contains(term, autoescape=True),
                )
            )
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        limit = max(1, min(limit, MAX_PAGE))
        rows = await self.session.scalars(
            query.order_by(Task.number).limit(limit).offset(max(0, offset))
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
        task = await self.session.scalar(self._mine().where(Task.id == task_id))
        if task is None:
            raise TaskNotFoundError("Task not found.")
        return task

    async def get_by_number(self, number: int) -> Task:
        """One of the user's tasks by the number they know it by."""
        task = await self.session.scalar(self._mine().where(Task.number == number))
        if task is None:
            raise TaskNotFoundError(f"Task #{number} doesn't exist.")
        return task

    async def create(self, title: str, description: str | None = None) -> Task:
        """A new task with the user's next number."""
        title, description = clean_title(title), clean_description(description)
        number = await self.session.scalar(
            update(User)
            .where(User.id == self.user_id)
            .values(last_task_number=User.last_task_number + 1)
            .returning(User.last_task_number)
        )
        if number is None:
            raise TaskNotFoundError("Account not found.")
        now = utcnow()
        task = Task(
            user_id=self.user_id,
            number=number,
            title=title,
            description=description,
            completed=False,
            created_at=now,
            updated_at=now,
        )
        self.session.add(task)
        await self.session.flush()
        await self._commit([_change("created", task)])
        return task

    async def update(
        self,
        task: Task,
        *,
        title: str | None = None,
        description: str | None = None,
        completed: bool | None = None,
    ) -> Task:
        """Change a task's title, description or completion."""
        if title is not None:
            task.title = clean_title(title)
        if description is not None:
            task.description = clean_description(description)
        if completed is not None:
            task.completed = completed
        task.updated_at = utcnow()
        await self._commit([_change("updated", task)])
        return task

    async def delete(self, task: Task) -> None:
        """Remove a task; its number is never given out again."""
        snapshot = _change("deleted", task)
        await self.session.delete(task)
        await self._commit([snapshot])

    async def set_all_completed(self, completed: bool = True) -> Sequence[Task]:
        """Mark every task complete (or pending); returns the ones that changed."""
        tasks = list(await self.session.scalars(self._mine().where(Task.completed != completed)))
        now = utcnow()
        for task in tasks:
            task.completed = completed
            task.updated_at = now
        await self._commit([_change("updated", task) for task in tasks])
        return tasks

    async def delete_all(self) -> int:
        """Remove every task; returns how many there were."""
        tasks = list(await self.session.scalars(self._mine().order_by(Task.number)))
        changes = [_change("deleted", task) for task in tasks]
        await self.session.execute(delete(Task).where(Task.user_id == self.user_id))
        await self._commit(changes)
        return len(tasks)


def _change(kind: Literal["created", "updated", "deleted"], task: Task) -> TaskChange:
    out = TaskOut.model_validate(task)
    if kind == "created":
        message = f"Created #{task.number}: {task.title}"
    elif kind == "deleted":
        message = f"Deleted #{task.number}: {task.title}"
    elif task.completed:
        message = f"Marked #{task.number} as complete"
    else:
        message = f"Updated #{task.number}: {task.title}"
    return TaskChange(kind, out, message)
