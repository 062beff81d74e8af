"""What a task tool is: its operation, how MCP hints describe it, its approval and its wording."""

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic_core import to_jsonable_python

Result = dict[str, Any]


@dataclass(frozen=True)
class Hints:
    """What a tool does to the list, as MCP tool annotations say it."""

    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False


READS = Hints(read_only=True, idempotent=True)
ADDS = Hints()
EDITS = Hints(idempotent=True)
REMOVES = Hints(destructive=True)


class Approval(Enum):
    """Whether a call of the tool waits for the user's yes on an approval card first."""

    NEVER = "never"
    ALWAYS = "always"
    IF_APPROVE_DELETES = "approve_deletes"  # when the user's approve_deletes setting is on


@dataclass(frozen=True)
class TaskTool:
    """One tool: its operation on a TaskService (typed, documented) and how it is announced."""

    operation: Callable[..., Awaitable[Result]]
    hints: Hints
    starting: str
    progress: str
    summary: Callable[[dict[str, Any], Result], str]
    lists: bool = False
    agent: bool = True  # offered to the chat's model too, not only to MCP clients
    needs_approval: Approval = Approval.NEVER
    question: str = ""  # the approval card's question, formatted with the call's arguments

    @property
    def name(self) -> str:
        return self.operation.__name__

    @property
    def description(self) -> str:
        return inspect.getdoc(self.operation) or self.name

    @property
    def parameters(self) -> list[inspect.Parameter]:
        """The tool's arguments: the operation's signature without the TaskService."""
        return list(inspect.signature(self.operation).parameters.values())[1:]

    def arguments(self, given: dict[str, Any]) -> dict[str, Any]:
        """The arguments with defaults filled in, unset ones left out, as JSON values."""
        values = {p.name: p.default for p in self.parameters} | given
        data: dict[str, Any] = to_jsonable_python(
            {k: v for k, v in values.items() if v is not None}
        )
        return data

    def progress_text(self, args: dict[str, Any]) -> str:
        """What the tool is doing right now: "Looking up task #3..."."""
        shown = {key: str(value).strip()[:60] for key, value in args.items()}
        return self.progress.format_map(shown)

    def ask(self, args: dict[str, Any]) -> str:
        """The approval card's question for these arguments: "Delete task #3?"."""
        try:
            return (self.question or f"Run {self.name}?").format(**args)
        except (KeyError, IndexError):
            return f"Run {self.name}?"

    def summarize(self, args: dict[str, Any], result: Result) -> str:
        """A short sentence for the outcome: "Found 3 tasks", "Created #4: buy milk"."""
        if not result.get("ok"):
            return str(result.get("error") or "That didn't work.")
        return self.summary(args, result)
