"""Commands that add tasks: "add ...", "remind me to ...", lists of items, counts to ask about."""

import re
from dataclasses import replace

from tasklive.agent.offline import details as dt
from tasklive.agent.offline import lexicon as lx
from tasklive.agent.offline import phrases as ph
from tasklive.agent.offline import taskfirst
from tasklive.agent.offline.intents import (
    Add,
    AddSome,
    Intent,
    NewTask,
    SmallTalk,
    Target,
    Unknown,
    Update,
)
from tasklive.tasks.quickadd import scan
from tasklive.tasks.quickadd import tokens as tk

A = lx.alternation
IGNORE = re.I


ADD = re.compile(rf"^(?P<verb>{A(lx.ADD.all())})\b[\s:]*(?P<rest>.*)$", IGNORE | re.S)
REMINDER = re.compile(rf"^{A(lx.REMINDERS)}\b[\s:]*(?P<rest>.+)$", IGNORE | re.S)
AMOUNT = re.compile(
    rf"^(?P<amount>\d+|{'|'.join(lx.NUMBER_WORDS)}|a few|some|several|multiple|many|a couple of|"
    rf"a couple)\s+(?:new\s+|more\s+)?(?:tasks|to-?dos|items|reminders|things)\b(?P<rest>.*)$",
    IGNORE | re.S,
)
PLURAL = re.compile(
    r"^(?:(?:the )?following|these|those|this list|some|new|a few|multiple|several|the)?\s*"
    rf"(?:(?:\d+|{'|'.join(lx.NUMBER_WORDS)})\s*)?"
    r"(?:tasks|to-?dos|items|things|reminders)?\s*(?:to (?:my|the) list\s*)?"
    r"(?:for (?P<topic>[^:\n]{1,30}))?"
    r"[:\-\n](?!\d)\s*"  # not "1:1 with Anil"
    r"(?P<rest>.+)$|"
    r"^(?:tasks|to-?dos|items)\s+(?:for\s+|called\s+|named\s+)?(?P<rest2>.+)$|"
    r"^(?:something|stuff|things?|a thing)(?:\s+to\s+\w+)?\s*:\s*(?P<rest3>.+)$",
    IGNORE | re.S,
)
# "groceries: milk, eggs", "to my Admin list: file taxes"
LIST_FIRST = re.compile(
    rf"^(?:(?:to|on|onto|in|into|for)\s+(?:my\s+|the\s+|our\s+)?)?(?:(?P<known>"
    rf"{'|'.join(tk.LIST_NAMES)})(?:\s+list)?|(?P<name>{tk.NOT_LIST}[a-z][\w'-]*)\s+list)"
    r"\s*:\s*(?P<rest>\S.*)$",
    IGNORE | re.S,
)
LEAD = re.compile(
    rf"^(?:(?:a|an|the|one|another|single|quick|new(?=\s+{ph.TASK_NOUN}\b))\s+)*(?:{ph.TASK_NOUN}\b)?\s*"
    r"(?:(?:to|on|in|onto) (?:my|the) (?:task |to-?do |todo )?(?:list|tasks)\s*)?"
    r"(?:(?:called|named|titled|that says|saying|which says|to|for|about|of)\b|:|-|\u2013)?\s*",
    IGNORE,
)
SINGULAR = re.compile(
    rf"^(?:a|an|one|another|the|new|single)\s+(?:new\s+)?{ph.TASK_NOUN}\b", IGNORE
)
COMMAND_IN_TITLE = re.compile(
    rf"\b(?:{A(lx.DELETE.strong + lx.COMPLETE.strong + lx.UNCOMPLETE.strong + lx.MARK.strong)})"
    rf"\b.*(?:\b{ph.TASK_NOUN}\s*#?\d|#\d)",
    IGNORE,
)
NOT_A_TITLE = re.compile(
    rf"^(?:(?:on|to|for|from|in|of)\s+(?:{ph.TASK_NOUN}\s*)?#?\d+\b|not\b|never\b|"
    rf"(?:these|those|the following)(?:\s+\w+)?\s*:)",
    IGNORE,
)
VERB_START = re.compile(rf"^{A(lx.TASK_VERBS)}\b", IGNORE)


def split_and(title: str, singular: bool) -> tuple[str, ...]:
    """ "buy milk and call mom" is two tasks; "buy milk and eggs" or "read and sum up" is one."""
    halves = re.split(r"\s+(?:and(?:\s+then|\s+also)?|then)\s+", title)
    tags = tk.SPOKEN_TAGS.search(title)
    if len(halves) != 2 or (tags and len(halves[0]) > tags.start()):  # "…, labels a and b"
        return (title,)
    left, right = halves
    if scan(f"x and {right}").title == "x":  # "… and file it under Home": a detail of the one
        return (title,)
    if VERB_START.match(right) and len(left.split()) > 1:
        return (left, right)
    if not singular and len(left.split()) == 1 and len(right.split()) == 1:
        return (left, right)
    return (title,)


LABELS = re.compile(
    r"^(?:the\s+|a\s+|an\s+)?(?:label|tag)s?\s+#?(?P<names>[a-z][\w-]*(?:(?:\s*[,&]\s*|\s+and\s+)#?"
    r"[a-z][\w-]*)*)(?:\s+to\s+(?:it|that|this))?$",
    IGNORE,
)


def _worded_clock(only: dt.Details) -> bool:
    """Only a time said in words ("add first thing"): a title, not a time for the last task."""
    worded = bool(only.clock) and not re.search(r"\d", only.clock)
    return worded and only == dt.Details(clock=only.clock)


def parse_add(rest: str, *, reminder: bool = False) -> Intent:
    """The part after an add verb: titles, a count to ask about, or a question.

    `reminder`: the message asked to be reminded ("remind me to ..."), so a date is a reminder too.
    """
    named = LABELS.match(rest.strip())
    if named:  # "add the label home": a label for the task just talked about
        rest = " ".join(
            f"#{name}" for name in re.split(r"(?:\s*[,&]\s*|\s+and\s+)", named["names"])
        )
    only = dt.only(re.sub(r"^(?:an?\s+)?", "", rest.strip(), flags=IGNORE))
    quoted = ph.QUOTED.fullmatch(rest.strip().rstrip(".!"))
    if quoted or (only is not None and _worded_clock(only)):  # 'add "tomorrow"', "add first thing"
        return Add((NewTask(ph.unquote(ph.clean(rest.strip()))),))
    if only is not None and "\n" not in rest:  # "add #urgent", "add a reminder for 8am"
        return Update(Target(pointer="it"), details=only)
    described = tk.DESCRIPTION.search(rest)
    note = ""
    if described and rest[: described.start()].strip():
        rest, note = rest[: described.start()], described["text"].strip()
    pointer = re.match(r"(?:it|this|that)\s+(?:to|on|onto|in|into|under)\s", rest.strip(), IGNORE)
    rest, common = dt.shared(rest.strip())
    if pointer and common and not dt.extract(rest)[0].strip(" ,.:"):  # "add it to my Home list"
        return Update(Target(pointer="it"), details=common)
    rest = ph.LIST_TAIL.sub("", rest) if "\n" not in rest else rest

    def _add(titles: tuple[str, ...]) -> Intent:
        intent = _new_tasks(titles, common, reminder)
        if note and isinstance(intent, Add) and len(intent.items) == 1:
            return Add((replace(intent.items[0], description=ph.unquote(note)),))
        return intent

    first = LIST_FIRST.match(rest)
    if first:
        common = replace(common, list=first["known"] or first["name"])
        rest = first["rest"]
    amount = AMOUNT.match(rest)
    if amount:
        listed = re.split(r"[:\n]", amount["rest"], maxsplit=1)
        number = ph.number_of(amount["amount"]) or 0
        if len(listed) == 2 and (found := ph.items(listed[1])):
            split = tuple(ph.clean(t) for t in re.split(r"\s+and\s+", found[0]))
            return _add(split if len(found) == 1 and len(split) == number else found)
        return AddSome(number, ph.clean(amount["rest"]))
    plural = PLURAL.match(rest)
    if plural and plural["topic"]:  # "todo for tomorrow: call the bank"
        words, said = dt.extract(plural["topic"])
        if said and not words.strip():
            common = dt.merged(common, said)
    if plural and (plural["rest"] or plural["rest2"] or plural["rest3"]):
        found = ph.items(plural["rest"] or plural["rest2"] or plural["rest3"])
        if len(found) > 1 or plural["rest"] or plural["rest3"]:
            return _add(found)
    singular = bool(SINGULAR.match(rest))
    body = LEAD.sub("", rest, count=1).strip()
    found = ph.items(body, split_and=not singular)
    if len(found) == 1 and not ("\n" in body or ";" in body or ph.QUOTED.fullmatch(body)):
        if singular and "," in body:
            found = (ph.unquote(ph.clean(body)),)
        found = split_and(found[0], singular) if found else ()
    return _add(found)


def _dated_together(tasks: tuple[NewTask, ...]) -> tuple[NewTask, ...]:
    """ "buy eggs, milk and bread tomorrow": the things after the first are objects of its verb,
    so the day said last is for all of them."""
    *first, last = tasks or (None,)
    if not first or last is None or not (last.details.when or last.details.clock):
        return tasks
    if any(t.details.when or t.details.clock or VERB_START.match(t.title) for t in first[1:]):
        return tasks
    if VERB_START.match(last.title) or first[0].details.when or first[0].details.clock:
        return tasks
    day, hour = last.details.when, last.details.clock
    return (*(replace(t, details=replace(t.details, when=day, clock=hour)) for t in first), last)


def _new_tasks(titles: tuple[str, ...], common: dt.Details, reminder: bool) -> Intent:
    tasks = tuple(ph.new_task(title, common, reminder=reminder) for title in titles)
    tasks = _dated_together(tuple(task for task in tasks if task.title))
    if not tasks:
        return AddSome()
    if len(tasks) == 1 and (update := taskfirst.as_update(tasks[0])):
        return update
    for task in tasks:
        if (
            COMMAND_IN_TITLE.search(task.title)
            or ph.NUMBERS.match(task.title)
            or NOT_A_TITLE.match(task.title)
        ):
            return Unknown(task.title)
    return Add(tasks)


HEDGES = re.compile(
    r"^(?:(?:probably|really|definitely|maybe|actually|also|still|just|soon|seriously|honestly|"
    r"remember to|not forget to|make sure (?:i|to))\s+)+",
    IGNORE,
)


def remind(text: str, low: str) -> Intent | None:
    """Sentences that are a new task themselves: "remind me to ...", "I need to ..."."""
    reminder = REMINDER.match(text)
    if not reminder or text.rstrip().endswith("?"):
        return None
    rest = ph.clean(HEDGES.sub("", ph.clean(reminder["rest"])))
    chat = (
        rf"{A(lx.NOT_TASKS)}(?:\s+(?:a bit|for a (?:bit|minute|second)|now|tonight|today|"
        r"about\b.*|for a while|for once))?"
    )
    if re.fullmatch(chat, rest, IGNORE) or re.match(rf"{A(lx.NOT_TASK_STARTS)}\b", rest, IGNORE):
        return SmallTalk("feeling")
    return parse_add(
        rest, reminder=re.search(r"\bremind", text[: reminder.start("rest")], IGNORE) is not None
    )


def add(text: str, low: str) -> Intent | None:
    match = ADD.match(text)
    if match:
        rest = match["rest"]
        strong = match["verb"].lower() in lx.ADD.strong or ":" in text[: match.start("rest")]
        if (
            strong
            or re.match(rf"^[{ph.QUOTES}]", rest)
            or re.match(
                rf"^(?:(?:a|an|another|new|the|\d+)\s+)?(?:new\s+)?{ph.TASK_NOUN}\b",
                rest,
                IGNORE,
            )
            or ph.LIST_TAIL.search(rest)
            or dt.LIST.search(rest)
        ):
            return parse_add(rest)
        return None
    return None
