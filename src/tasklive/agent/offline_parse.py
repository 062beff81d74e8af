"""Plain English to intents for the offline model: what the user asked for, not yet how to do it."""

import re

from tasklive.agent.offline_words import (
    ADD_VERB,
    LIST_SUFFIX,
    NUMBERS_TARGET,
    STATE_DONE,
    STATE_UNDONE,
    STRONG_ADD_VERB,
    TASK_NOUN,
    Intent,
    Status,
    clean,
    parse_add,
    parse_target,
    strip_quotes,
    with_target,
)

GREETING_ONLY = re.compile(
    r"^(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening))"
    r"(?:\s+(?:there|you|all|everyone|friend|buddy))?[\s!.,]*$",
    re.I,
)


def parse_command(text: str) -> Intent:
    """One command in `text` (already split), as an intent; "unknown" when nothing fits."""
    original = text
    if GREETING_ONLY.match(original.strip()):
        return Intent("help")
    text = clean(text)
    low = text.lower()
    if not low:
        return Intent(
            "thanks" if re.search(r"\b(?:thanks|thank you)\b", original, re.I) else "help"
        )
    for parser in COMMAND_PARSERS:
        intent = parser(text, low)
        if intent is not None:
            return intent
    return Intent("unknown", topic=low)


def _answers(text: str, low: str) -> Intent | None:
    if (
        re.match(
            r"^(?:yes|yeah|yea|yep|yup|ya|y|sure|ok|okay|confirm(?:ed)?|do it|go ahead|please do|"
            r"absolutely|definitely|correct|affirmative|proceed|i(?:'m| am) sure)\b",
            low,
        )
        and len(low.split()) <= 6
    ):
        return Intent("yes")
    if (
        re.match(
            r"^(?!(?:don'?t|do not) forget\b)"
            r"(?:no|nope|nah|n|cancel|stop|don'?t|do not|never ?mind|forget it|abort|wait|"
            r"keep (?:them|it)|not now)\b",
            low,
        )
        and len(low.split()) <= 6
        and not re.search(rf"\b{TASK_NOUN}\s*#?\d", low)
    ):
        return Intent("no")
    return None


def _small_talk(text: str, low: str) -> Intent | None:
    if re.match(
        r"^(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening))\b", low
    ) or re.search(
        r"\b(?:help|what can you do|how does (?:this|it) work|commands|who are you|what are you)\b",
        low,
    ):
        return Intent("help")
    if re.match(
        r"^(?:thanks|thank you|thx|ty|cheers|great|awesome|perfect|cool|nice|good|got it)\b", low
    ):
        return Intent("thanks")
    return None


def _recall(text: str, low: str) -> Intent | None:
    if re.search(
        r"\b(?:what|which)\b.*\b(?:did|have|had)? ?i (?:just |already )?"
        r"(?:add|added|create|created)\b",
        low,
    ):
        plural = re.search(r"\b(?:tasks|all|everything)\b", low) and not re.search(r"\blast\b", low)
        return Intent("recall_all" if plural else "recall")
    if re.search(
        r"\b(?:last|latest|previous) (?:task|thing|one) (?:i|you) (?:added|created)\b", low
    ):
        return Intent("recall")
    return None


def status_in(low: str) -> Status:
    """The status words in a question: pending, completed, or all."""
    if re.search(
        r"\b(?:pending|open|incomplete|uncompleted|unfinished|remaining|outstanding|left|undone|active|"
        r"not (?:yet )?(?:done|complete|completed|finished)|need to do|have to do|still)\b",
        low,
    ):
        return "pending"
    if re.search(r"\b(?:completed|complete|done|finished|checked off|ticked off)\b", low):
        return "completed"
    return "all"


def _count(text: str, low: str) -> Intent | None:
    if re.search(r"\bhow many\b", low) or re.search(
        r"\b(?:count|number of) (?:my |the )?(?:\w+ )?tasks\b", low
    ):
        return Intent("count", status=status_in(low))
    return None


ALL_TARGET = r"(?:all|every|everything|each)"


def _all_commands(text: str, low: str) -> Intent | None:
    everything = (
        rf"(?:{ALL_TARGET}\b.*|(?:my|the) (?:whole |entire )?(?:task |to-?do )?"
        r"(?:list|tasks|to-?dos)|them all|all of them|my tasks)"
    )
    if re.match(
        r"^(?:delete|remove|erase|clear|get rid of|clean up)\s+(?:all\s+)?(?:of\s+)?"
        rf"(?:my\s+|the\s+)?(?:completed|done|finished)\s+(?:{TASK_NOUN}|ones)$",
        low,
    ):
        return Intent("delete_completed")
    if re.match(
        r"^(?:delete|remove|erase|clear|wipe|drop|trash|get rid of|clean out|empty|purge)"
        rf"\s+{everything}$",
        low,
    ):
        if re.search(r"\b(?:completed|done|finished)\b", low):
            return Intent("delete_completed")
        return Intent("ask_delete_all")
    if re.match(r"^(?:start over|start fresh|reset (?:my )?(?:list|tasks))$", low):
        return Intent("ask_delete_all")
    undo = re.match(
        rf"^(?:unmark|uncheck|untick|reopen|uncomplete|restore|reset)\s+{everything}$", low
    )
    if undo or re.match(
        rf"^(?:mark|set|flag|make)\s+{ALL_TARGET}\b.*\b(?:as |to )?{STATE_UNDONE}$", low
    ):
        return Intent("complete_all", completed=False)
    if re.match(
        rf"^(?:mark|set|flag|make|check off|tick off|cross off)\s+{ALL_TARGET}\b.*", low
    ) or re.match(rf"^(?:complete|finish|check off|tick off|close)\s+{everything}$", low):
        return Intent("complete_all", completed=True)
    if re.match(rf"^i(?:'ve| have)? (?:finished|completed|done|did) {everything}$", low):
        return Intent("complete_all", completed=True)
    return None


def _delete(text: str, low: str) -> Intent | None:
    match = re.match(
        r"^(?:delete|remove|erase|drop|trash|discard|scrap|get rid of|cross out|take off|cancel|"
        r"clear|forget about)"
        r"(?:\s+(?P<target>.*))?$",
        text,
        re.I,
    )
    if match:
        return with_target("delete", match["target"] or "")
    unneeded = re.match(
        r"^i (?:don'?t|do not|no longer) (?:need|want)\s+(?P<target>.+?)(?:\s+any ?more)?$",
        text,
        re.I,
    )
    if unneeded:
        return with_target("delete", unneeded["target"])
    return None


def _complete(text: str, low: str) -> Intent | None:
    undo = re.match(
        r"^(?:unmark|uncheck|untick|reopen|uncomplete|undo|restore)(?:\s+(?P<target>.*?))?(?:\s+as\s+\w+)?$",
        text,
        re.I,
    )
    if undo:
        return with_target("complete", undo["target"] or "", completed=False)
    marked = re.match(
        rf"^(?:mark|set|flag|make|move|put)\s+(?P<target>.*?)\s*(?:as |to |is )?"
        rf"(?:(?P<undone>{STATE_UNDONE})|{STATE_DONE})$",
        text,
        re.I,
    )
    if marked:
        return with_target("complete", marked["target"], completed=not marked["undone"])
    checked = re.match(
        r"^(?:check|tick|cross)\s+(?:off\s+)?(?P<target>.*?)(?:\s+off)?$", text, re.I
    )
    if checked:
        return with_target("complete", checked["target"])
    direct = re.match(
        r"^(?:complete|finish|close|resolve|done with)(?:\s+(?P<target>.*))?$", text, re.I
    )
    if direct:
        return with_target("complete", direct["target"] or "")
    finished = re.match(
        r"^i(?:'ve| have|'m| am)?\s+(?:just\s+|already\s+|now\s+)?"
        r"(?:finished|completed|done(?: with)?|did|wrapped up|took care of|handled)"
        r"\s+(?P<target>.+)$",
        text,
        re.I,
    )
    if finished:
        return with_target("complete", finished["target"])
    state = re.match(
        rf"^(?!(?:what|which|how|are|is|do|does|any)\b)(?P<target>.+?)\s+"
        rf"(?:(?P<negated>isn'?t|aren'?t|is not|are not)\s+(?:really\s+|actually\s+)?{STATE_DONE}"
        rf"(?:\s+yet)?|(?:is|are)\s+(?:now\s+|already\s+)?(?:(?P<undone>{STATE_UNDONE})|{STATE_DONE}))$",
        text,
        re.I,
    )
    if state:
        undone = bool(state["undone"] or state["negated"])
        return with_target("complete", state["target"], completed=not undone)
    return None


FIELD_WORD = r"(?:title|name|description|details|notes?|text)"
NEW_VALUE = r"(?:to|into|as|to say|to read|so (?:that )?it says)"
FIELD = re.compile(
    r"\b(?:the\s+)?(?P<field>title|name|description|details|notes?|text)\s+(?:of|for)\s+|'s\s+(?P<field2>title|name|description|details|notes?|text)\b",
    re.I,
)


def _update(text: str, low: str) -> Intent | None:
    verb = r"(?:change|update|edit|modify|rename|retitle|reword|set|make|fix)"
    numbered = re.match(
        rf"^{verb}\s+(?P<target>.*?\b(?:{TASK_NOUN}|number)\s*#?\d+|.*?#\d+)"
        rf"(?P<field>(?:'s)?\s+{FIELD_WORD})?(?:\s+{NEW_VALUE}\s+|\s+with\s+|\s*:\s*|\s+)(?P<new>.+)$",
        text,
        re.I,
    )
    match = numbered or re.match(
        rf"^{verb}\s+(?P<target>.+?)(?P<field>)\s+{NEW_VALUE}\s+(?P<new>.+)$",
        text,
        re.I,
    )
    if not match:
        bare = re.match(rf"^{verb}(?:\s+(?P<target>.*))?$", text, re.I)
        if (
            bare
            and bare["target"] is not None
            and re.match(rf"^(?:the )?(?:status of )?(?:{TASK_NOUN}|#)", bare["target"], re.I)
        ):
            found = parse_target(FIELD.sub(" ", bare["target"]))
            if len(found.numbers) == 1:
                return Intent("ask_update", numbers=found.numbers)
            return Intent("ask_update", ref=found.ref)
        return None
    target = match["target"]
    field_word = match["field"] or ""
    field_match = FIELD.search(target)
    if field_match:
        field_word = field_match["field"] or field_match["field2"]
        target = FIELD.sub(" ", target)
    new = strip_quotes(clean(match["new"]))
    if re.fullmatch(NEW_VALUE, new, re.I):
        return with_target("ask_update", target)
    if re.fullmatch(rf"(?:{STATE_DONE})", new, re.I):
        return with_target("complete", target)
    if re.fullmatch(rf"(?:{STATE_UNDONE})", new, re.I):
        return with_target("complete", target, completed=False)
    if re.search(r"description|details|note", field_word, re.I):
        return with_target("describe", target, description=new)
    return with_target("update", target, title=new)


def _add(text: str, low: str) -> Intent | None:
    described = re.match(
        r"^(?:add|set|put|write)\s+(?:a |the )?(?:description|details|notes?)\s+(?:to|for|on)\s+"
        rf"(?P<target>(?:{TASK_NOUN}\s*)?#?\d+)\s*[:,-]?\s*(?:saying\s+)?(?P<description>.*)$",
        text,
        re.I,
    )
    if described:
        if not described["description"]:
            return None
        return with_target(
            "describe", described["target"], description=strip_quotes(described["description"])
        )
    match = re.match(rf"^(?P<verb>{ADD_VERB})\b\s*(?P<rest>.*)$", text, re.I)
    if match:
        rest = match["rest"]
        strong = re.fullmatch(STRONG_ADD_VERB, match["verb"], re.I)
        if (
            strong
            or re.match(
                rf"^(?:(?:a|an|another|new|the|\d+|\w+)\s+)?(?:new\s+)?{TASK_NOUN}\b", rest, re.I
            )
            or LIST_SUFFIX.search(rest)
        ):
            return parse_add(rest)
        return None
    reminder = re.match(
        r"^(?:remind me (?:to|about|that i need to)|don'?t let me forget (?:to|about)|"
        r"(?:don'?t|do not) forget (?:to|about)|"
        r"i (?:need|have|must|should|want|ought) to|i've got to|i gotta|note to self:?|"
        r"todo:|to-do:)"
        r"\s+(?P<title>.+)$",
        text,
        re.I,
    )
    if reminder and not text.endswith("?"):
        return parse_add(reminder["title"])
    return None


def _list(text: str, low: str) -> Intent | None:
    about_tasks = re.search(
        r"\b(?:tasks?|to-?dos?|to do|list|agenda|plate|left|pending|remaining|completed|done|"
        r"finished|need to do|have to do|open|outstanding)\b",
        low,
    ) or re.match(r"^(?:show|list|display|view|see)(?: me)? (?:all|everything)\b", low)
    asks = re.match(
        r"^(?:show|list|display|view|see|give|tell|get|print|read|check|what|which|whats|what's|"
        r"anything|do i have|are there|are|is|have|has|did|any|my|all|pending|completed|open|"
        r"remaining|outstanding|finished|done)\b",
        low,
    )
    if (
        about_tasks
        and asks
        and not re.match(r"^(?:what|which)\b.*\b(?:weather|time|news|date)\b", low)
    ):
        return Intent("list", status=status_in(low))
    if re.fullmatch(r"(?:my )?(?:tasks|to-?dos|to-?do list|list)", low):
        return Intent("list")
    return None


def _bare_target(text: str, low: str) -> Intent | None:
    if NUMBERS_TARGET.match(low):
        return Intent("unknown", topic=low)
    return None


COMMAND_PARSERS = (
    _answers,
    _recall,
    _count,
    _all_commands,
    _delete,
    _complete,
    _update,
    _add,
    _list,
    _small_talk,
    _bare_target,
)

COMMAND_START = re.compile(
    rf"^(?:(?:add|create)\b|new {TASK_NOUN}\b|remind me\b|"
    r"(?:mark|unmark|uncheck|complete|finish|delete|remove|rename|change|update|edit|check off|"
    r"tick off|reopen)\b"
    rf".*(?:\b{TASK_NOUN}\b|#\d|\b\d+\b|\ball\b|\beverything\b|\bit\b)|"
    rf"(?:show|list|what|how many)\b.*\b(?:{TASK_NOUN}|list)\b)",
    re.I,
)
LOOKAHEAD = 120  # characters read to decide whether a new command starts
SEPARATOR = re.compile(
    r"\s*[,;]\s*(?:and\s+)?(?:then\s+|also\s+)?|\s+(?:and|&)\s+(?:then\s+|also\s+)?|\s+then\s+|"
    r"[.!?]+\s+(?:and\s+)?(?:then\s+|also\s+)?"
)


def split_commands(text: str) -> list[str]:
    """Split where a new command verb starts ("... and mark task 1 as done"), not at every "and"."""
    text = re.sub(r"\s+", " ", text).strip()
    parts: list[str] = []
    start = 0
    for separator in SEPARATOR.finditer(text):
        rest = clean(text[separator.end() : separator.end() + LOOKAHEAD])
        if separator.start() > start and COMMAND_START.match(rest):
            parts.append(text[start : separator.start()])
            start = separator.end()
    parts.append(text[start:])
    return [part for part in parts if clean(part)] or [text]


def parse(text: str) -> list[Intent]:
    """Every command in one user message, in order."""
    return [parse_command(part) for part in split_commands(text)]
