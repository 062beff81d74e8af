"""What the user asked for, as a tagged union: one dataclass per intent."""

from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from tasklive.agent.offline.details import Details

Status = Literal["all", "pending", "completed"]


@dataclass(frozen=True)
class Target:
    """Which task(s): numbers, title words, or a pointer into the conversation ("it", "first")."""

    numbers: tuple[int, ...] = ()
    words: str = ""
    pointer: str = ""  # "it" | "them" | "ordinal:N"
    verb: str = ""  # what the user said they did ("buy" in "I bought milk"), to tell tasks apart

    def __bool__(self) -> bool:
        return bool(self.numbers or self.words or self.pointer)


@dataclass(frozen=True)
class NewTask:
    title: str
    description: str = ""
    details: Details = field(default_factory=Details)


@dataclass(frozen=True)
class Add:
    items: tuple[NewTask, ...]
    kind: Literal["add"] = "add"


@dataclass(frozen=True)
class AddSome:
    """ "Create 3 tasks for my morning routine": how many, but not what."""

    count: int = 0
    topic: str = ""
    kind: Literal["add_some"] = "add_some"


@dataclass(frozen=True)
class List:
    status: Status = "all"
    kind: Literal["list"] = "list"


@dataclass(frozen=True)
class Search:
    words: str
    number: int | None = None  # "show me task 2"
    kind: Literal["search"] = "search"


@dataclass(frozen=True)
class Agenda:
    """A question over due days, labels, lists or priority; `group` is a label or a list."""

    view: Literal["", "today", "day", "week", "overdue", "upcoming", "due"] = ""
    when: str = ""  # the day words, for "day" and "week"
    label: str = ""
    list: str = ""
    group: str = ""
    priority: int | None = None
    kind: Literal["agenda"] = "agenda"


@dataclass(frozen=True)
class Count:
    status: Status = "all"
    kind: Literal["count"] = "count"


@dataclass(frozen=True)
class Update:
    target: Target = field(default_factory=Target)
    title: str | None = None
    description: str | None = None
    details: Details | None = None  # due, priority, labels, list, repeat, reminder or clear
    instead: Add | None = None  # "update the website p2": the to-do, when no task is named so
    kind: Literal["update"] = "update"


@dataclass(frozen=True)
class Complete:
    target: Target = field(default_factory=Target)
    completed: bool = True
    instead: Add | None = None  # "check out 'Sunday in the Park'": the to-do, when no task fits
    kind: Literal["complete"] = "complete"


@dataclass(frozen=True)
class Delete:
    target: Target = field(default_factory=Target)
    instead: Add | None = None  # "cancel the Foxtel subscription": the to-do, when no task fits
    kind: Literal["delete"] = "delete"


@dataclass(frozen=True)
class CompleteAll:
    completed: bool = True
    kind: Literal["complete_all"] = "complete_all"


@dataclass(frozen=True)
class DeleteAll:
    confirmed: bool = False
    kind: Literal["delete_all"] = "delete_all"


@dataclass(frozen=True)
class DeleteCompleted:
    kind: Literal["delete_completed"] = "delete_completed"


@dataclass(frozen=True)
class Undo:
    kind: Literal["undo"] = "undo"


@dataclass(frozen=True)
class Recall:
    everything: bool = False
    kind: Literal["recall"] = "recall"


@dataclass(frozen=True)
class Answer:
    """A bare yes or no."""

    yes: bool
    kind: Literal["answer"] = "answer"


@dataclass(frozen=True)
class SmallTalk:
    """Greetings, thanks, help and things that are not tasks ("I need to vent")."""

    topic: Literal["greeting", "thanks", "help", "feeling"]
    kind: Literal["small_talk"] = "small_talk"


@dataclass(frozen=True)
class Unknown:
    """Not understood; `target` keeps any task the message named, to say what was understood."""

    text: str
    target: Target = field(default_factory=Target)
    kind: Literal["unknown"] = "unknown"


Intent = (
    Add
    | AddSome
    | List
    | Search
    | Agenda
    | Count
    | Update
    | Complete
    | Delete
    | CompleteAll
    | DeleteAll
    | DeleteCompleted
    | Undo
    | Recall
    | Answer
    | SmallTalk
    | Unknown
)
Targeted = Update | Complete | Delete
INTENTS: TypeAdapter[Intent] = TypeAdapter(Annotated[Intent, Field(discriminator="kind")])


def dump(intent: Intent) -> dict[str, Any]:
    """An intent as JSON data, for a stored question."""
    data: dict[str, Any] = INTENTS.dump_python(intent, mode="json")
    return data


def load(data: dict[str, Any]) -> Intent:
    """An intent back from `dump`."""
    return INTENTS.validate_python(data)


def aimed(intent: Targeted, target: Target) -> Targeted:
    """The same action aimed at another target."""
    return replace(intent, target=target)
