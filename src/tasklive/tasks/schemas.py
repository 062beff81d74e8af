"""Task bodies and the argument types every entry point shares: REST, agent tools and MCP."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tasklive.errors import InvalidInputError
from tasklive.text import SafeText

TITLE_MAX = 200
DESCRIPTION_MAX = 2000

Status = Literal["all", "pending", "completed"]


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


def _as_value_error(rule):  # type: ignore[no-untyped-def]
    def check(value):  # type: ignore[no-untyped-def]
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


class TaskOut(BaseModel):
    """A task as clients see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    number: int
    title: str
    description: str
    completed: bool
    created_at: datetime
    updated_at: datetime


class TaskCreate(BaseModel):
    title: Title
    description: Description = None


class TaskUpdate(BaseModel):
    title: Title | None = None
    description: Description = None
    completed: bool | None = None


class TaskPage(BaseModel):
    items: list[TaskOut]
    total: int
    limit: int
    offset: int
