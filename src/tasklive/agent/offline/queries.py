"""Questions and conversation: yes/no, small talk, undo, recall, counts, searches, lists, bulk."""

import re

from tasklive.agent.offline import lexicon as lx
from tasklive.agent.offline import phrases as ph
from tasklive.agent.offline.intents import (
    Answer,
    CompleteAll,
    Count,
    DeleteAll,
    DeleteCompleted,
    Intent,
    List,
    Recall,
    Search,
    SmallTalk,
    Status,
    Undo,
)
from tasklive.tasks.quickadd import tokens as tk

A = lx.alternation


def _fullmatch(phrases: tuple[str, ...], low: str) -> bool:
    return re.fullmatch(rf"{A(phrases)}[\s!.,]*", low) is not None


def answer(text: str, low: str) -> Intent | None:
    """A bare yes or no ("yes, delete them all", "no, keep them")."""
    head, rest = [*re.split(r"[,!.]", low, maxsplit=1), ""][:2]
    head = head.strip()
    if _fullmatch(lx.YES, low) or (_fullmatch(lx.YES, head) and YES_REST.fullmatch(rest)):
        return Answer(yes=True)
    if _fullmatch(lx.NO, low) or (_fullmatch(lx.NO, head) and NO_REST.fullmatch(rest)):
        return Answer(yes=False)
    return None


YES_REST = re.compile(
    r"[\s,!.]*(?:please|do it|go ahead|sure|thanks|thank you|i'm sure|i am sure|"
    r"(?:delete|remove|clear|wipe) (?:them|it|everything|them all|all of them|all|it all)"
    r"(?: please)?)?[\s!.]*"
)
NO_REST = re.compile(
    r"[\s,!.]*(?:keep (?:them|it|everything|them all)|don't|do not|leave (?:them|it)(?: alone)?|"
    r"cancel|thanks|thank you|never mind|not now|stop|don't do it|wait)?[\s!.]*"
)


# "happy Friday!", "merry christmas", "have a great weekend": wishes, never to-dos
WISH = (
    r"(?:(?:happy|merry)\s+[a-z']+(?:\s+[a-z']+)?|have\s+a\s+(?:good|nice|great|lovely)\s+"
    r"[a-z]+(?:\s+[a-z]+)?|enjoy\s+(?:your|the)\s+[a-z]+)(?:[\s,!]+(?:to\s+)?(?:you|all))?"
)


def greeting(text: str) -> bool:
    """ "hi", "hello there", "good morning, Sam", "hey, happy Friday!"."""
    low = text.lower().strip(" !.,?")
    if re.fullmatch(rf"(?:{A(lx.GREETINGS)}(?:\s+[a-z]+)?[\s,!]+)?{WISH}", low):  # "hey Sam, …"
        return True
    return _fullmatch(lx.GREETINGS, low) or bool(
        re.fullmatch(rf"{A(lx.GREETINGS)}[\s,!]+[a-z]+", low)
    )


def small_talk(text: str, low: str) -> Intent | None:
    """Greetings, thanks and requests for help."""
    if greeting(text):
        return SmallTalk("greeting")
    if re.search(rf"\b{A(lx.HELP)}\b", low) and len(low.split()) <= 8:
        return SmallTalk("help")
    if len(low.split()) <= 5 and re.match(rf"^{A(lx.THANKS)}\b", low):
        return SmallTalk("thanks")
    return None


UNDO = re.compile(
    rf"^{A(lx.UNDO.strong)}(?:\s+(?:that|it|this|the last (?:change|thing|one|action|step)|"
    r"what you (?:just )?did|my last (?:change|request|message)|last change|the change|"
    r"everything you just did|please))*$",
    re.I,
)


def undo(text: str, low: str) -> Intent | None:
    return Undo() if UNDO.match(low) or low in ("oops", "my bad", "wrong one") else None


def recall(text: str, low: str) -> Intent | None:
    """ "What did I just add?", "what was the last task I added?"."""
    if re.search(
        r"\b(?:what|which)\b.*\b(?:did|have|had)? ?i (?:just |already )?(?:add|added|create|"
        r"created)\b|\b(?:last|latest|previous) (?:task|thing|one) (?:i|you) (?:added|created)\b",
        low,
    ):
        plural = re.search(r"\b(?:tasks|all|everything)\b", low) and "last" not in low
        return Recall(everything=bool(plural))
    return None


def status_in(low: str) -> Status:
    if re.search(rf"\b{A(lx.STATUS_PENDING)}\b", low):
        return "pending"
    if re.search(rf"\b{A(lx.STATUS_DONE)}\b", low):
        return "completed"
    return "all"


def count(text: str, low: str) -> Intent | None:
    if re.search(r"\bhow many\b|\b(?:count|number of) (?:my |the )?(?:\w+ )?tasks\b", low):
        return Count(status_in(low))
    return None


SEARCH = re.compile(
    r"^(?:is there |are there |do i have |have i got |got )?(?:anything|something|any ?thing|"
    r"any (?:tasks?|to-?dos?|items?)|a task|tasks?|one)\s*(?:on my (?:list|tasks) )?"
    r"(?:about|for|with|mentioning|regarding|related to|involving|containing|that mentions|"
    r"on|to do with|concerning)\s+(?P<words>.+?)\??$|"
    r"^(?:search|find|look up|look for|search for|filter)\s+(?:my\s+)?(?:tasks?\s+)?"
    r"(?:for\s+|about\s+|with\s+|mentioning\s+)?(?P<words2>.+?)\??$|"
    r"^do i (?:have|need) to (?P<words3>.+?)\??$|"
    r"^what (?:do i have|have i got|is there|tasks do i have|have i)\s+(?:about|for|on|regarding|"
    r"with|mentioning|to do with)\s+(?P<words4>.+?)\??$|"
    r"^(?:show|view|open|display)\s+(?:me\s+)?(?:the|my)\s+(?P<words5>.+?)\s+(?:task|one|to-?do|item)"
    r"\??$|^when(?:'s|\s+is)\s+(?:the|my)\s+(?P<words6>.+?)\s+due\??$",
    re.I,
)
SHOW_NUMBER = re.compile(
    r"^(?:show|view|open|display)\s+(?:me\s+)?(?:task\s*#?|#)(?P<number>\d+)\??$|"
    r"^(?:what(?:'s|\s+is)|when(?:'s|\s+is))\s+(?:task\s*#?|#)(?P<number2>\d+)(?:\s+due)?\??$",
    re.I,
)


def search(text: str, low: str) -> Intent | None:
    """Topic questions: "anything about milk?", "do I have something for friday?"."""
    number = SHOW_NUMBER.match(text)
    if number:  # "show me task 2"
        return Search("", int(number["number"] or number["number2"]))
    match = SEARCH.match(text)
    if not match:
        return None
    said = [match[f"words{n}"] for n in ("", "2", "3", "4", "5", "6")]
    words = ph.clean(next(filter(None, said)))
    words = re.sub(r"^(?:the|my|a|an)\s+", "", words, flags=re.I)
    if not words or re.fullmatch(rf"{ph.LIST_NOUN}|to do|today", words, re.I):
        return None
    return Search(words)


def list_tasks(text: str, low: str) -> Intent | None:
    about_tasks = re.search(
        rf"\b(?:{ph.TASK_NOUN}|{ph.LIST_NOUN}|left|pending|remaining|completed|done|finished|"
        r"need to do|have to do|open|outstanding|on my plate)\b",
        low,
    ) or re.match(r"^(?:show|list|display|view|see)(?: me)? (?:all|everything)\b", low)
    asks = re.match(
        rf"^(?:{A(lx.LIST.all())}|whats|what's|which|anything|do i have|are there|are|is|have|"
        r"has|did|any|my|all|pending|completed|open|remaining|outstanding|finished|done)\b",
        low,
    )
    if re.search(tk.LIST_AFTER_COMMA, text, re.I):  # "get passport photos, list Travel"
        return None
    if re.match(r"get\s+(?!(?:my|all|the)\s+(?:done|completed|finished)\b).+?\s+done\b", low):
        return None  # "get the car PUC done": a to-do
    if about_tasks and asks and not re.search(r"\b(?:weather|time|news|date)\b", low):
        return List(status_in(low))
    if re.fullmatch(rf"(?:my |the )?(?:{ph.LIST_NOUN}|to-?do list|agenda)\??", low):
        return List()
    return None


# "all", "all my tasks", "every single one", "everything on my list as done"; not "all clocks"
EVERYTHING = (
    r"(?:everything|all|every(?:\s+single)?(?:\s+(?:one|task|to-?do|item))|each\s+(?:one|task))"
    r"(?:\s+(?:of\s+)?(?:(?:the|my|these|those)\s+)?(?:tasks?|to-?dos?|items?|things?|ones?|"
    r"of\s+(?:them|it)|stuff))?(?:\s+(?:on|in)\s+(?:my|the)\s+(?:list|tasks))?"
    r"(?:\s+(?:as\s+)?(?:done|complete|completed|finished|off))?(?:\s+(?:now|today|please))?|"
    r"(?:my|the) (?:whole |entire )?(?:task |to-?do )?"
    r"(?:list|tasks|to-?dos)|them all|all of them|my tasks|my list"
)


def bulk(text: str, low: str) -> Intent | None:
    """Commands over every task: complete, reopen or delete them all."""
    done = A(lx.STATUS_DONE)
    if re.match(rf"^{A(lx.DELETE.all())}\s+(?:all\s+)?(?:of\s+)?(?:my\s+|the\s+)?{done}\s+"
                rf"(?:{ph.TASK_NOUN}|ones)$", low):  # fmt: skip
        return DeleteCompleted()
    if re.match(rf"^(?:{A(lx.DELETE.all())}|wipe|empty|purge|clean out)\s+(?:{EVERYTHING})$", low):
        return DeleteCompleted() if re.search(rf"\b{done}\b", low) else DeleteAll()
    if re.match(
        r"^(?:start over|start fresh|reset (?:my )?(?:list|tasks)|wipe (?:it )?clean)$", low
    ):
        return DeleteAll()
    open_state = A(lx.OPEN_WORDS)
    if re.match(rf"^{A(lx.UNCOMPLETE.all())}\s+(?:{EVERYTHING})$", low) or re.match(
        rf"^{A(lx.MARK.all())}\s+(?:{EVERYTHING})\s+(?:as |to )?{open_state}$", low
    ):
        return CompleteAll(completed=False)
    if re.match(rf"^(?:{A(lx.MARK.all())}|{A(lx.COMPLETE.all())})\s+(?:{EVERYTHING})$", low):
        return CompleteAll()
    if re.match(rf"^(?:i(?:'ve| have)? )?(?:finished|completed|done|did) (?:{EVERYTHING})$", low):
        return CompleteAll()
    return None
