"""Task REST endpoints."""

from fastapi import APIRouter, Query, status

from tasklive.tasks.dependencies import TaskServiceDep
from tasklive.tasks.schemas import Status, TaskCreate, TaskOut, TaskPage, TaskUpdate
from tasklive.tasks.service import MAX_PAGE
from tasklive.text import BIGINT_MAX, Identifier, SafeText

router = APIRouter(prefix="/api/tasks", tags=["tasks"])


@router.get("")
async def list_tasks(
    tasks: TaskServiceDep,
    status: Status = "all",
    q: SafeText | None = Query(default=None, max_length=200),
    limit: int = Query(default=50, ge=1, le=MAX_PAGE),
    offset: int = Query(default=0, ge=0, le=BIGINT_MAX),
) -> TaskPage:
    """The caller's tasks, filtered by status and text, in number order."""
    items, total = await tasks.list(status, q, limit, offset)
    return TaskPage(
        items=[TaskOut.model_validate(t) for t in items], total=total, limit=limit, offset=offset
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_task(body: TaskCreate, tasks: TaskServiceDep) -> TaskOut:
    """Add a task; it gets the caller's next number."""
    return TaskOut.model_validate(await tasks.create(body.title, body.description))


@router.get("/{task_id}")
async def get_task(task_id: Identifier, tasks: TaskServiceDep) -> TaskOut:
    """One task."""
    return TaskOut.model_validate(await tasks.get(task_id))


@router.patch("/{task_id}")
async def update_task(task_id: Identifier, body: TaskUpdate, tasks: TaskServiceDep) -> TaskOut:
    """Change a task's title, description or completion."""
    task = await tasks.get(task_id)
    updated = await tasks.update(
        task, title=body.title, description=body.description, completed=body.completed
    )
    return TaskOut.model_validate(updated)


@router.delete("/{task_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_task(task_id: Identifier, tasks: TaskServiceDep) -> None:
    """Remove a task."""
    await tasks.delete(await tasks.get(task_id))
