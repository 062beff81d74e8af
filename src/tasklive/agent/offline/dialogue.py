"""What a reply leaves for the next turn, as data: the question asked, the tasks shown or changed.

It travels in the reply's `ModelResponse.metadata` (stored with the message, never shown to a
model), so the next turn reads structured data instead of parsing the reply's English.
"""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from tasklive.agent.offline import adding, grammar
from tasklive.agent.offline import phrases as ph
from tasklive.agent.offline.intents import (
    Add,
    AddSome,
    Answer,
    Complete,
    Delete,
    DeleteAll,
    Intent,
    Target,
    Unknown,
    Update,
    dump,
    load,
)
from tasklive.tasks.quickadd.dates import Clock

METADATA_KEY = "offline"
Ask = Literal["confirm_delete_all", "which", "title", "wording", "items", "unsure"]


@dataclass(frozen=True)
class Call:
    """One tool call the model asks the agent loop to run."""

    tool: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    """A question the reply ended on; `intent` is what the answer completes."""

    ask: Ask
    intent: dict[str, Any] | None = None
    candidates: tuple[int, ...] = ()

    def template(self) -> Intent | None:
        return load(self.intent) if self.intent else None


def question(ask: Ask, intent: Intent | None = None, candidates: tuple[int, ...] = ()) -> Question:
    return Question(ask, dump(intent) if intent else None, candidates)


@dataclass(frozen=True)
class Memory:
    """What one turn did: tasks it listed, touched and added, how many changes, what it asked."""

    listed: tuple[int, ...] = ()
    touched: tuple[int, ...] = ()
    added: tuple[tuple[int, str], ...] = ()
    question: Question | None = None
    changes: int = 0  # successful calls that changed tasks

    def to_json(self) -> dict[str, Any]:
        return {
            "listed": list(self.listed),
            "touched": list(self.touched),
            "changes": self.changes,
            "added": [list(pair) for pair in self.added],
            "question": None
            if self.question is None
            else {
                "ask": self.question.ask,
                "intent": self.question.intent,
                "candidates": list(self.question.candidates),
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Memory":
        asked = data.get("question")
        return cls(
            listed=tuple(data.get("listed", ())),
            touched=tuple(data.get("touched", ())),
            changes=int(data.get("changes", 0)),
            added=tuple((int(n), str(t)) for n, t in data.get("added", ())),
            question=None
            if not asked
            else Question(asked["ask"], asked.get("intent"), tuple(asked.get("candidates", ()))),
        )


@dataclass(frozen=True)
class Context:
    """The conversation so far as the offline model sees it."""

    last: Memory = field(default_factory=Memory)
    added: tuple[tuple[int, str], ...] = ()  # every task added in this conversation, oldest first
    tools: frozenset[str] = frozenset()
    approved_on_screen: frozenset[str] = frozenset()  # tools the user approves on an approval card
    clock: Clock = field(default_factory=lambda: Clock.at(datetime.now(UTC)))


def _them(intent: Intent) -> bool:
    return isinstance(intent, Delete) and intent.target.pointer == "them"


def _is_answer_text(intents: list[Intent]) -> bool:
    """Whether a reply to "what should it say?" is free text rather than a new command."""
    return len(intents) == 1 and isinstance(intents[0], Unknown | Add | Complete | Delete)


def answer(asked: Question, text: str, intents: list[Intent]) -> list[Intent] | None:
    """The user's message read as the answer to the question left open, if it is one."""
    if any(isinstance(i, Answer) and not i.yes for i in intents):
        return None
    template = asked.template()
    if asked.ask == "confirm_delete_all":
        if all(isinstance(i, Answer | DeleteAll) or _them(i) for i in intents):
            return [DeleteAll(confirmed=True)]
        return None
    intent, rest = intents[0], intents[1:]
    if asked.ask == "unsure":  # yes: add it as read; anything else is read afresh
        if isinstance(template, Add) and isinstance(intent, Answer) and intent.yes and not rest:
            sure = (replace(t, details=replace(t.details, doubt="")) for t in template.items)
            return [Add(tuple(sure))]
        return None
    if asked.ask == "which" and isinstance(template, Update | Complete | Delete):
        if isinstance(intent, Answer) and intent.yes and len(asked.candidates) == 1:
            return [replace(template, target=Target(numbers=asked.candidates)), *rest]
        if isinstance(intent, Unknown):
            return [replace(template, target=ph.target(intent.text)), *rest]
        return None
    if rest:
        return None
    cleaned = ph.unquote(ph.clean(text))
    if not cleaned or not _is_answer_text(intents) or text.strip().endswith("?"):
        return None
    explicit = grammar.STRONG_START.match(cleaned) or adding.ADD.match(cleaned)
    if explicit and not isinstance(intent, Unknown):
        return [intent]
    if asked.ask == "title":
        return [Add((ph.new_task(cleaned),))]
    if asked.ask == "wording" and isinstance(template, Update):
        if template.description is not None:
            return [replace(template, description=cleaned)]
        return [replace(template, title=cleaned)]
    if asked.ask == "items" and isinstance(template, AddSome):
        return [Add(tuple(ph.new_task(t) for t in ph.items(text)))]
    return None


def _numbers(pointer: str, context: Context) -> tuple[int, ...]:
    last = context.last
    candidates = last.question.candidates if last.question else ()
    shown = last.listed or candidates
    if pointer.startswith("ordinal:"):
        index = int(pointer.split(":")[1])
        if not shown and index == -1 and len(last.touched) == 1:
            return last.touched  # "the last one": the task just added or changed
        return (shown[index],) if -len(shown) <= index < len(shown) else ()
    if pointer == "it":
        for numbers in (last.touched, shown):
            if len(numbers) == 1:
                return numbers
        return ()
    return last.touched or shown


def resolve(target: Target, context: Context) -> Target:
    """A pointer ("it", "the first one") as the task numbers it means, when the history says."""
    if not target.pointer:
        return target
    numbers = _numbers(target.pointer, context)
    return Target(numbers=numbers) if numbers else target


def understand(text: str, context: Context) -> list[Intent]:
    """The intents in the user's message, read with the question the last reply left open."""
    intents = grammar.parse(text)
    asked = context.last.question
    if asked is not None:
        intents = answer(asked, text, intents) or intents
    resolved: list[Intent] = []
    for intent in intents:
        if isinstance(intent, Update | Complete | Delete | Unknown):
            spot = intent.target
            before = resolved[-1] if resolved else None
            if spot.pointer == "it" and isinstance(before, Update) and before.target.numbers:
                spot = Target(numbers=before.target.numbers[:1])  # "rename task 5 ... and set it"
            intent = replace(intent, target=resolve(spot, context))
        resolved.append(intent)
    return resolved
