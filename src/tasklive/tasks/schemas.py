"""Task bodies and the argument types every entry point shares: REST, agent tools and MCP."""

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from dateutil.rrule import rrulestr
from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field, PlainValidator
from pydantic.json_schema import WithJsonSchema

from tasklive.errors import InvalidInputError
from tasklive.text import SafeText

TITLE_MAX = 200
DESCRIPTION_MAX = 2000
LABEL_MAX = 40
LABELS_MAX = 20
LIST_MAX = 100
RULE_MAX = 500

Status = Literal["all", "pending", "completed"]
View = Literal["today", "overdue", "upcoming"]
Sort = Literal["due", "priority", "created"]
ClearableField = Literal["due", "priority", "labels", "list", "recurrence", "remind_at"]


def clean_title(value: str) -> str:
    """A title trimmed of surrounding space, 1-200 characters."""
    value = value.strip()
    if not value:
        raise InvalidInputError("A task needs a title.")
    if len(value) > TITLE_MAX:
        raise InvalidInputError(f"A task title can be at most {TITLE_MAX} characters.")
    return value


def clean_description(value: str | None) -> str:
    """A description trimmed of surrounding space, at most 2,000 characters."""
    value = (value or "").strip()
    if len(value) > DESCRIPTION_MAX:
        raise InvalidInputError(f"A description can be at most {DESCRIPTION_MAX:,} characters.")
    return value


Checked = TypeVar("Checked")


def _as_value_error(rule: Callable[[Any], Checked]) -> Callable[[Any], Checked]:
    def check(value: Any) -> Checked:
        try:
            return rule(value)
        except InvalidInputError as exc:
            raise ValueError(exc.message) from exc

    return check


TaskNumber = Annotated[
    int, Field(ge=1, description="The task's number (1, 2, 3, ...), as list_tasks shows it.")
]
Title = Annotated[
    SafeText,
    Field(
        description=f"A short title, 1-{TITLE_MAX} characters after trimming.",
        json_schema_extra={"minLength": 1, "maxLength": TITLE_MAX},
    ),
    AfterValidator(_as_value_error(clean_title)),
]
Description = Annotated[
    SafeText | None,
    Field(
        description=f"Optional details, at most {DESCRIPTION_MAX:,} characters.",
        json_schema_extra={"maxLength": DESCRIPTION_MAX},
    ),
    AfterValidator(_as_value_error(clean_description)),
]
StatusFilter = Annotated[
    Status, Field(description="Which tasks: all, only pending, or only completed.")
]


def parse_due(value: Any) -> date | datetime:
    """A calendar day ("2026-12-01") or a date-time ("2026-12-01T17:00:00+01:00")."""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str) and len(value) <= 40:
        text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError("must be a date like 2026-12-01 or a date-time like 2026-12-01T17:00:00+01:00")


def parse_moment(value: Any) -> datetime:
    """A date-time ("2026-12-01T16:30:00+01:00"); without an offset, in the user's time zone."""
    parsed = parse_due(value)
    if not isinstance(parsed, datetime):
        raise ValueError("must be a date-time like 2026-12-01T16:30:00+01:00")
    return parsed


def clean_labels(values: list[str]) -> list[str]:
    """Labels as short lowercase names without "#", each once, in the order given."""
    cleaned: list[str] = []
    for value in values:
        label = value.strip().lstrip("#").strip().lower()
        if not re.fullmatch(rf"[^\s,#\x00]{{1,{LABEL_MAX}}}", label):
            raise ValueError(f"a label is one word of 1-{LABEL_MAX} characters, like work")
        if label not in cleaned:
            cleaned.append(label)
    return cleaned


def clean_list(value: str) -> str:
    value = " ".join(value.split())
    if not value or len(value) > LIST_MAX:
        raise ValueError(f"a list name has 1-{LIST_MAX} characters")
    return value


def clean_rule(value: str) -> str:
    """An RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=MO"), checked by dateutil and upper-cased."""
    rule = value.strip().upper().removeprefix("RRULE:")
    if not rule or len(rule) > RULE_MAX or "DTSTART" in rule or "\n" in rule:
        raise ValueError("must be an RRULE like FREQ=WEEKLY;BYDAY=MO")
    try:
        rrulestr(rule, dtstart=datetime(2026, 1, 1))
    except (ValueError, TypeError, KeyError, OverflowError):
        raise ValueError("must be an RRULE like FREQ=WEEKLY;BYDAY=MO") from None
    return rule


_DATE_TIME = {"type": "string", "format": "date-time"}
Due = Annotated[
    date | datetime,
    PlainValidator(parse_due),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "format": "date"}, _DATE_TIME],
            "description": (
                "When it is due: a day (2026-12-01) for all day, or a date-time "
                "(2026-12-01T17:00:00+01:00); without an offset it is the user's local time."
            ),
        }
    ),
]
RemindAt = Annotated[
    datetime,
    PlainValidator(parse_moment),
    WithJsonSchema(
        {
            **_DATE_TIME,
            "description": (
                "When to remind the user (2026-12-01T16:30:00+01:00); without an offset "
                "it is the user's local time."
            ),
        }
    ),
]
Priority = Annotated[
    int, Field(ge=1, le=4, description="1 is the most urgent (p1, urgent), 4 the least.")
]
Labels = Annotated[
    list[SafeText],
    Field(max_length=LABELS_MAX, description='Short lowercase names, "#work" is "work".'),
    AfterValidator(clean_labels),
]
ListName = Annotated[
    SafeText,
    Field(description=f'The list it belongs to ("Groceries"), 1-{LIST_MAX} characters.'),
    AfterValidator(clean_list),
]
Recurrence = Annotated[
    SafeText,
    Field(
        description=(
            "How it repeats, as an RFC 5545 RRULE: FREQ=WEEKLY;BYDAY=MO (every Monday), "
            "FREQ=WEEKLY;INTERVAL=2 (every 2 weeks), FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR (weekdays)."
        ),
        json_schema_extra={"maxLength": RULE_MAX},
    ),
    AfterValidator(clean_rule),
]


class TaskOut(BaseModel):
    """A task as clients see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    number: int
    title: str
    description: str
    completed: bool
    completed_at: datetime | None
    due: datetime | date | None
    priority: int | None
    labels: list[str]
    list: str | None = Field(validation_alias=AliasChoices("list_name", "list"))
    recurrence: str | None
    remind_at: datetime | None
    created_at: datetime
    updated_at: datetime


class TaskFields(BaseModel):
    """The fields a task may be created with; on update, null clears one."""

    description: Description = None
    due: Due | None = None
    priority: Priority | None = None
    labels: Labels | None = None
    list: ListName | None = None
    recurrence: Recurrence | None = None
    remind_at: RemindAt | None = None


class TaskCreate(TaskFields):
    title: Title


class TaskUpdate(TaskFields):
    title: Title | None = None
    completed: bool | None = None


class TaskPage(BaseModel):
    items: list[TaskOut]
    total: int
    limit: int
    offset: int


class ActivityItem(BaseModel):
    """One change the user made, from any source."""

    id: str
    source: str = Field(description='Where it came from: "chat", "rest" or "mcp".')
    tool: str
    summary: str
    created_at: datetime
    undone: bool


class ActivityPage(BaseModel):
    items: list[ActivityItem]


class UndoneChange(BaseModel):
    id: str
    summary: str


class UndoResult(BaseModel):
    """What an undo reverted, and the tasks it brought back or changed back."""

    undone: UndoneChange
    tasks: list[TaskOut]
