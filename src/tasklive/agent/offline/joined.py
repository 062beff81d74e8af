"""The intents of one message read together: an "it" the clause before named, a change of the
task just added, and a clause that only tells something."""

import re
from dataclasses import replace

from tasklive.agent.offline import details as dt
from tasklive.agent.offline import phrases as ph
from tasklive.agent.offline import taskfirst
from tasklive.agent.offline.details import Details
from tasklive.agent.offline.intents import Add, Complete, Delete, Intent, Unknown, Update


def read_together(intents: list[Intent]) -> list[Intent]:
    """The intents of one message's commands, each read with the ones around it."""
    return _without_news(_added_then_changed(_it_named_before(intents)))


# "nvm about the dentist, delete it", "don't need the milk one anymore, remove it"
NAMED_FIRST = re.compile(
    r"\b(?:about|need|want)\s+(?P<what>(?:the|my)\s+[\w' -]+?)(?:\s+any\s*more)?[.!]*$", re.I
)


def _it_named_before(intents: list[Intent]) -> list[Intent]:
    """An "it" whose task the clause before named without a command: that task."""
    read: list[Intent] = []
    for intent in intents:
        last = read[-1] if read else None
        named = NAMED_FIRST.search(last.text) if isinstance(last, Unknown) else None
        if (
            named
            and isinstance(intent, Update | Complete | Delete)
            and intent.target.pointer == "it"
        ):
            read[-1] = replace(intent, target=ph.target(named["what"]))
            continue
        read.append(intent)
    return read


def _without_news(intents: list[Intent]) -> list[Intent]:
    """A clause that only tells something ("my sister is visiting") beside a command is context,
    not a request to answer with "didn't catch that"."""
    if all(isinstance(intent, Unknown) for intent in intents):
        return intents
    return [
        intent
        for intent in intents
        if not (
            isinstance(intent, Unknown)
            and not intent.target.numbers
            and taskfirst.COPULA.search(intent.text)
        )
    ]


def _added_then_changed(intents: list[Intent]) -> list[Intent]:
    """ "add X monday and mark it urgent": one new task with both, not an add and a change."""
    read: list[Intent] = []
    for intent in intents:
        last = read[-1] if read else None
        if (
            isinstance(last, Add)
            and len(last.items) == 1
            and isinstance(intent, Update)
            and intent.target.pointer == "it"
            and intent.details
            and not (intent.title or intent.description or intent.details.clear)
        ):
            item = last.items[0]
            read[-1] = Add((replace(item, details=_with(item.details, intent.details)),))
            continue
        read.append(intent)
    return read


def _with(first: Details, then: Details) -> Details:
    labels = tuple(dict.fromkeys((*first.labels, *then.labels)))
    return replace(dt.merged(first, then), labels=labels, doubt=first.doubt or then.doubt)
