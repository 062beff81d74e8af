"""Task and activity REST endpoints."""

from fastapi import APIRouter, Query, status

from tasklive.deps import TaskServiceDep
from tasklive.openapi import errors
from tasklive.tasks import activity, calendar, profile, quick
from tasklive.tasks.notify.ledger import deliveries_of
from tasklive.tasks.notify.schemas import DeliveryOut, TaskDetail
from tasklive.tasks.schemas import (
    LIST_MAX,
    ActivityItem,
    ActivityPage,
    Sort,
    Status,
    TaskCreate,
    TaskOut,
    TaskPage,
    TaskUpdate,
    UndoneChange,
    UndoResult,
    View,
)
from tasklive.tasks.service import MAX_PAGE
from tasklive.tasks.views import TaskFilter
from tasklive.text import BIGINT_MAX, Identifier, SafeText

router = APIRouter(tags=["tasks"])
router.include_router(calendar.router)
router.include_router(profile.router)


@router.get("/api/tasks")
async def list_tasks(
    tasks: TaskServiceDep,
    status: Status = "all",
    view: View | None = None,
    label: SafeText | None = Query(default=None, max_length=50),
    list: SafeText | None = Query(default=None, max_length=LIST_MAX),
    q: SafeText | None = Query(default=None, max_length=200),
    sort: Sort = "created",
    limit: int = Query(default=50, ge=1, le=MAX_PAGE),
    offset: int = Query(default=0, ge=0, le=BIGINT_MAX),
) -> TaskPage:
    """The caller's tasks: filtered by status, view, label, list and text; sorted."""
    wanted = TaskFilter(status=status, view=view, label=label, list=list, q=q, sort=sort)
    items, total = await tasks.list(wanted, limit, offset)
    return TaskPage(
        items=[TaskOut.model_validate(t) for t in items], total=total, limit=limit, offset=offset
    )


@router.post("/api/tasks", status_code=status.HTTP_201_CREATED)
async def create_task(body: TaskCreate, tasks: TaskServiceDep) -> TaskOut:
    """Add a task; it gets the caller's next number."""
    fields = body.model_dump(include=body.model_fields_set - {"title", "description"})
    return TaskOut.model_validate(await tasks.create(body.title, body.description, **fields))


@router.post("/api/tasks/quick", status_code=status.HTTP_201_CREATED)
async def quick_add_task(body: quick.QuickText, tasks: TaskServiceDep) -> quick.QuickAdded:
    """Add the task one line of text describes ("call mom tomorrow 5pm p1 #family")."""
    task, draft = await quick.quick_add(tasks, body.text)
    return quick.QuickAdded(task=TaskOut.model_validate(task), spans=quick.spans_out(draft))


@router.post("/api/tasks/quick/preview")
async def preview_quick_add(body: quick.QuickText, tasks: TaskServiceDep) -> quick.QuickPreview:
    """What quick add would make of the text, with the spans it read; nothing is stored."""
    draft = await quick.draft_of(tasks, body.text)
    return quick.QuickPreview(draft=quick.draft_out(draft), spans=quick.spans_out(draft))


@router.get("/api/tasks/{task_id}")
async def get_task(task_id: Identifier, tasks: TaskServiceDep) -> TaskDetail:
    """One task, with where its reminders went."""
    task = await tasks.get(task_id)
    deliveries = await deliveries_of(tasks.session, task.id)
    return TaskDetail(
        **TaskOut.model_validate(task).model_dump(),
        reminder_deliveries=[DeliveryOut.model_validate(d) for d in deliveries],
    )


@router.patch("/api/tasks/{task_id}")
async def update_task(task_id: Identifier, body: TaskUpdate, tasks: TaskServiceDep) -> TaskOut:
    """Change any of a task's fields; null clears an optional one."""
    task = await tasks.get(task_id)
    updated = await tasks.update(task, **body.model_dump(include=body.model_fields_set))
    return TaskOut.model_validate(updated)


@router.delete("/api/tasks/{task_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_task(task_id: Identifier, tasks: TaskServiceDep) -> None:
    """Remove a task."""
    await tasks.delete(await tasks.get(task_id))


@router.get("/api/activity")
async def list_activity(
    tasks: TaskServiceDep,
    limit: int = Query(default=50, ge=1, le=MAX_PAGE),
    before: Identifier | None = Query(default=None),
) -> ActivityPage:
    """The caller's changes from every source, newest first."""
    records = await activity.recent(tasks, limit, before)
    return ActivityPage(items=[ActivityItem(**activity.activity_item(r)) for r in records])


@router.post("/api/activity/undo", responses=errors(409))
async def undo(tasks: TaskServiceDep) -> UndoResult:
    """Revert the caller's latest change that is not undone yet."""
    undone = await activity.undo_latest(tasks)
    return UndoResult(
        undone=UndoneChange(id=undone.id, summary=undone.summary),
        tasks=[TaskOut.model_validate(task) for task in undone.tasks],
    )
