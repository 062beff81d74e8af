"""Finding the task a few title words name."""

import re
from typing import Any

from tasklive.agent.offline import lexicon as lx
from tasklive.agent.offline.intents import Complete, Delete, Update

Task = dict[str, Any]
STOP_WORDS = {
    "the", "a", "an", "my", "to", "of", "for", "and", "task", "todo", "item", "one", "it", "at",
    "on", "in", "some", "up", "off", "with", "our", "your", "this", "that",
}  # fmt: skip


def stem(word: str) -> str:
    """A crude singular and base: groceries -> grocery, meetings -> meeting, called -> call."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
        return word[:-1] if word[-1] == word[-2] and word[-1] not in "lsfz" else word  # call
    return word


def words_of(text: str) -> set[str]:
    """The meaningful words of a title or reference, stemmed."""
    return {stem(w) for w in re.findall(r"[a-z0-9]+", text.lower())} - STOP_WORDS


def same_action(verb: str, title: str) -> bool:
    """Whether "I <verb>ed ..." fits a title: same or kindred first verb, or no verb at all."""
    first = title.lower().split()[0] if title.split() else ""
    if not verb or first.startswith(verb) or verb.startswith(first) or first not in VERBS:
        return True
    return any(verb in group and first in group for group in lx.SAME_ACTION)


VERBS = {verb.split()[0] for verb in lx.TASK_VERBS} | {w for g in lx.SAME_ACTION for w in g}


def find_matches(intent: Update | Complete | Delete, tasks: list[Task]) -> tuple[list[Task], bool]:
    """Tasks whose titles hold the reference's words, and whether they hold all of them."""
    ref = intent.target.words
    exact = [t for t in tasks if t["title"].strip().lower() == ref.lower()]
    if len(exact) == 1:
        return exact, True
    wanted = words_of(ref)
    if not wanted:
        return [], False
    matches = [t for t in tasks if wanted <= words_of(t["title"])]
    verb = intent.target.verb
    whole = bool(matches) and all(same_action(verb, t["title"]) for t in matches)
    if not matches:
        overlaps = {t["number"]: len(wanted & words_of(t["title"])) for t in tasks}
        best = max(overlaps.values(), default=0)
        if best and best * 2 >= len(wanted) and len(wanted) > 1:
            matches = [t for t in tasks if overlaps[t["number"]] == best]
    if isinstance(intent, Complete) and len(matches) > 1:
        preferred = [t for t in matches if bool(t.get("completed")) != intent.completed]
        matches = preferred or matches
    return matches, whole
