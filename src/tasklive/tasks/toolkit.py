"""Every task tool declared once; the agent's tools and the MCP tools are generated from here.

What a tool is lives in tasks/tool.py; calling one (one transaction, audited), tasks/tool_calls.py.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from tasklive.errors import InvalidInputError
from tasklive.tasks.activity import undo_latest
from tasklive.tasks.events import change_sentence
from tasklive.tasks.fields import FIELDS
from tasklive.tasks.models import Task
from tasklive.tasks.quick import QUICK_MAX, quick_add, spans_out
from tasklive.tasks.schemas import (
    LABEL_MAX,
    LIST_MAX,
    ClearableField,
    Description,
    Due,
    Labels,
    ListName,
    Priority,
    Recurrence,
    RemindAt,
    Sort,
    StatusFilter,
    TaskNumber,
    TaskOut,
    Title,
    View,
)
from tasklive.tasks.service import MAX_PAGE, TaskService
from tasklive.tasks.tool import ADDS, EDITS, READS, REMOVES, Approval, Hints, Result, TaskTool
from tasklive.tasks.views import TaskFilter
from tasklive.text import SafeText, storable

TOOLS: dict[str, TaskTool] = {}


def task_tool(
    *,
    hints: Hints,
    starting: str,
    progress: str,
    summary: Callable[[dict[str, Any], Result], str],
    lists: bool = False,
    agent: bool = True,
    needs_approval: Approval = Approval.NEVER,
    question: str = "",
) -> Callable[[Callable[..., Awaitable[Result]]], Callable[..., Awaitable[Result]]]:
    """Declare an operation as a task tool (it keeps working as a plain function)."""

    def register(operation: Callable[..., Awaitable[Result]]) -> Callable[..., Awaitable[Result]]:
        TOOLS[operation.__name__] = TaskTool(
            operation, hints, starting, progress, summary, lists, agent, needs_approval, question
        )
        return operation

    return register


def task_body(task: Task | TaskOut) -> dict[str, Any]:
    """A task as tools report it: every field but its timestamps, as JSON values."""
    return TaskOut.model_validate(task).model_dump(
        mode="json", exclude={"created_at", "updated_at"}
    )


NewDue = Annotated[Due | None, Field(description="When it is due (see the type); omit if none.")]
NewPriority = Annotated[Priority | None, Field(description="1 most urgent ... 4 least; omit.")]
NewLabels = Annotated[Labels | None, Field(description='Labels such as ["work"]; omit if none.')]
NewList = Annotated[ListName | None, Field(description="The list it goes on; omit if none.")]
NewRule = Annotated[Recurrence | None, Field(description="How it repeats (RRULE); omit.")]
NewReminder = Annotated[RemindAt | None, Field(description="When to remind the user; omit.")]


def _given(arguments: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The named arguments that were given (not None)."""
    return {name: arguments[name] for name in names if arguments.get(name) is not None}


def _plural(count: int, noun: str = "task") -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _state(completed: bool) -> str:
    return "complete" if completed else "incomplete"


def _task(result: Result) -> dict[str, Any]:
    task: dict[str, Any] = result["task"]
    return task


def _said(change: str) -> Callable[[dict[str, Any], Result], str]:
    """A summary that is the task's change sentence (tasks/events.py)."""
    return lambda _, result: change_sentence(
        change, _task(result)["number"], _task(result)["title"]
    )


@task_tool(
    hints=ADDS,
    starting="Adding a task...",
    progress='Saving "{title}"...',
    summary=_said("created"),
)
async def add_task(
    tasks: TaskService,
    title: Title,
    description: Description = "",
    due: NewDue = None,
    priority: NewPriority = None,
    labels: NewLabels = None,
    list: NewList = None,
    recurrence: NewRule = None,
    remind_at: NewReminder = None,
) -> Result:
    """Add a task to the user's list; it gets the user's next number. Put dates, priority,
    labels, list and repeats in their own arguments, not in the title."""
    fields = _given(locals(), FIELDS)
    return {"ok": True, "task": task_body(await tasks.create(title, description, **fields))}


# No min_length: an empty line gets the reader's own sentence, as POST /api/tasks/quick does.
QuickText = Annotated[
    str,
    StringConstraints(max_length=QUICK_MAX),
    AfterValidator(storable),
    Field(
        description=(
            'One line as a person types it: "call the landlord tomorrow 9am p1 #home", '
            '"stretch every morning", "renew the lease by friday, remind me 2 days before".'
        ),
    ),
]


@task_tool(
    hints=ADDS,
    starting="Adding a task...",
    progress='Reading "{text}"...',
    summary=lambda _, r: f"Created #{_task(r)['number']}: {_task(r)['title']}",
    # The model fills add_task's typed arguments itself; this one is for clients that can't.
    agent=False,
)
async def quick_add_task(tasks: TaskService, text: QuickText) -> Result:
    """Add a task from one line of text, read the way a quick-add box reads it: the due date
    and time, priority (p1-p4, "urgent"), #labels, list, repeat and reminder are taken out of
    the text and the rest is the title. Returns the task and the spans of text recognised."""
    task, draft = await quick_add(tasks, text)
    spans = [span.model_dump() for span in spans_out(draft)]
    return {"ok": True, "task": task_body(task), "spans": spans}


def _found(_: dict[str, Any], result: Result) -> str:
    status = result.get("status", "all")
    return f"Found {_plural(result['count'], 'task' if status == 'all' else f'{status} task')}"


@task_tool(
    hints=READS,
    starting="Checking your tasks...",
    progress="Searching your tasks...",
    summary=_found,
    lists=True,
)
async def list_tasks(
    tasks: TaskService,
    status: StatusFilter = "all",
    view: Annotated[
        View | None,
        Field(description="today, overdue or upcoming, in the user's time zone; omit for all."),
    ] = None,
    label: Annotated[
        SafeText | None, Field(max_length=LABEL_MAX + 1, description="Only tasks with this label.")
    ] = None,
    list: Annotated[
        SafeText | None, Field(max_length=LIST_MAX, description="Only tasks on this list.")
    ] = None,
    q: Annotated[
        SafeText | None, Field(max_length=200, description="Only tasks whose text contains this.")
    ] = None,
    sort: Annotated[
        Sort, Field(description="Order: due (soonest), priority (most urgent) or created.")
    ] = "created",
) -> Result:
    """List the user's tasks, with how many are total, pending and completed."""
    wanted = TaskFilter(status=status, view=view, label=label, list=list, q=q, sort=sort)
    items, _ = await tasks.list(wanted, limit=MAX_PAGE)
    counts = await tasks.counts()
    return {
        "ok": True,
        "status": status,
        "tasks": [task_body(task) for task in items],
        "count": len(items),
        "total": counts.total,
        "pending": counts.pending,
        "completed": counts.completed,
    }


@task_tool(
    hints=EDITS,
    starting="Updating a task...",
    progress="Looking up task #{number}...",
    summary=_said("updated"),
)
async def update_task(
    tasks: TaskService,
    number: TaskNumber,
    title: Annotated[Title | None, Field(description="The new title; omit to keep it.")] = None,
    description: Annotated[
        Description, Field(description="The new details; omit to keep them.")
    ] = None,
    due: NewDue = None,
    priority: NewPriority = None,
    labels: NewLabels = None,
    list: NewList = None,
    recurrence: NewRule = None,
    remind_at: NewReminder = None,
    clear: Annotated[
        list[ClearableField] | None,
        Field(description='Fields to empty, such as ["due", "labels"].'),
    ] = None,
) -> Result:
    """Change a task's fields; what is omitted stays as it is, what is in `clear` is emptied."""
    fields = _given(locals(), ("title", "description", *FIELDS)) | dict.fromkeys(clear or ())
    if not fields:
        raise InvalidInputError(f"Tell me what to change about task #{number}.")
    task = await tasks.get_by_number(number)
    return {"ok": True, "task": task_body(await tasks.update(task, **fields))}


def _marked(_: dict[str, Any], result: Result) -> str:
    task = _task(result)
    return change_sentence("completed" if task["completed"] else "reopened", task["number"], "")


async def _set_completed(tasks: TaskService, number: int, completed: bool) -> Result:
    task = await tasks.get_by_number(number)
    return {"ok": True, "task": task_body(await tasks.update(task, completed=completed))}


@task_tool(
    hints=EDITS,
    starting="Updating a task...",
    progress="Looking up task #{number}...",
    summary=_marked,
)
async def complete_task(
    tasks: TaskService,
    number: TaskNumber,
    completed: Annotated[
        bool, Field(description="true marks it done; false makes it pending again.")
    ] = True,
) -> Result:
    """Mark one task as done (or, with completed=false, as pending again)."""
    return await _set_completed(tasks, number, completed)


@task_tool(
    hints=EDITS,
    starting="Updating a task...",
    progress="Looking up task #{number}...",
    summary=_marked,
)
async def uncomplete_task(tasks: TaskService, number: TaskNumber) -> Result:
    """Mark a done task as pending again."""
    return await _set_completed(tasks, number, False)


@task_tool(
    hints=REMOVES,
    starting="Deleting a task...",
    progress="Looking up task #{number}...",
    summary=_said("deleted"),
    needs_approval=Approval.IF_APPROVE_DELETES,
    question="Delete task #{number}?",
)
async def delete_task(tasks: TaskService, number: TaskNumber) -> Result:
    """Delete one task. Its number is never given to another task."""
    task = await tasks.get_by_number(number)
    body = {"ok": True, "task": task_body(task)}
    await tasks.delete(task)
    return body


@task_tool(
    hints=EDITS,
    starting="Updating all your tasks...",
    progress="Searching your tasks...",
    summary=lambda a, r: f"Marked {_plural(r['count'])} as {_state(a.get('completed', True))}",
    needs_approval=Approval.ALWAYS,
    question="Mark all your tasks as complete?",
)
async def complete_all_tasks(
    tasks: TaskService,
    completed: Annotated[
        bool, Field(description="true marks every task done; false makes them all pending.")
    ] = True,
) -> Result:
    """Mark every task as done (or pending). Returns the tasks that changed."""
    changed = await tasks.set_all_completed(completed)
    return {"ok": True, "count": len(changed), "tasks": [task_body(task) for task in changed]}


@task_tool(
    hints=REMOVES,
    starting="Deleting all your tasks...",
    progress="Searching your tasks...",
    summary=lambda _, r: f"Deleted {_plural(r['count'])}",
    needs_approval=Approval.ALWAYS,
    question="Delete all your tasks?",
)
async def delete_all_tasks(tasks: TaskService) -> Result:
    """Delete every one of the user's tasks. Only after the user clearly asked for it."""
    return {"ok": True, "count": await tasks.delete_all()}


@task_tool(
    hints=REMOVES,
    starting="Undoing your last change...",
    progress="Looking up your last change...",
    summary=lambda _, r: r["summary"],
)
async def undo_last_change(tasks: TaskService) -> Result:
    """Undo the user's latest change to their tasks (from chat, the page or MCP) that is not
    undone yet: a deleted task comes back with its number, an edit is reverted."""
    undone = await undo_latest(tasks)
    return {
        "ok": True,
        "summary": f"Undid: {undone.summary}",
        "tasks": [task_body(task) for task in undone.tasks],
    }
