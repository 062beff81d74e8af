"""Changing a task's details: "move task 3 to tomorrow", "make task 2 p1", "label task 4 #home"."""

import re

from tasklive.agent.offline import details as dt
from tasklive.agent.offline import phrases as ph
from tasklive.agent.offline.details import Details
from tasklive.agent.offline.intents import Intent, Target, Update
from tasklive.tasks.quickadd import tokens as tk
from tasklive.tasks.quickadd import typos

IGNORE = re.I
VERB = re.compile(
    r"^(?:move|reschedule|re-schedule|push(?:\s+back)?|postpone|prepone|defer|shift|bump|delay|change|"
    r"set|make|mark|flag|update|put|prioriti[sz]e|lower|raise|bring)\s+(?P<rest>.+)$",
    IGNORE,
)
WEAK_VERBS = ("put",)  # "put milk on my groceries list" adds, unless a task number follows
LABEL_EDIT = re.compile(
    r"^(?:label|tag|hashtag)\s+(?P<target>.+?)\s+(?:as\s+|with\s+(?:the\s+)?(?:label\s+|tag\s+)?)?"
    r"(?P<labels>#?[a-z][\w-]*(?:(?:\s*[,&]\s*|\s+and\s+)#?[a-z][\w-]*)*?)"
    r"(?:\s+(?:too|also|as\s+well))?$|"
    r"^(?:add|put)\s+(?:the\s+)?(?:(?:label|tag)s?\s+)?(?P<labels2>#[a-z][\w-]*(?:(?:\s*[,&]\s*|\s+and\s+)"
    r"#[a-z][\w-]*)*)\s+(?:to|on)\s+(?P<target2>.+)$|"
    r"^(?:add|put)\s+(?:the\s+|a\s+)?(?:label|tag)s?\s+(?P<labels3>#?[a-z][\w-]*(?:(?:\s*[,&]\s*|\s+and\s+)"
    r"#?[a-z][\w-]*)*)\s+(?:to|on)\s+(?P<target3>.+)$|"
    r"^give\s+(?P<target4>.+?)\s+(?:a|an|the)\s+(?:(?:label|tag)\s+(?P<labels5>#?[a-z][\w-]*)|"
    r"(?P<labels4>#?[a-z][\w-]*)\s+(?:label|tag))$|"
    r"^(?:add|put|stick)\s+(?:a|an|the)\s+#?(?P<labels6>[a-z][\w-]*)\s+(?:label|tag)\s+(?:to|on)\s+"
    r"(?P<target6>.+)$",
    IGNORE,
)
STATE_EDIT = re.compile(
    r"^(?!(?:what|which|who|how|when|is|are|anything|any|do|does)\b)(?P<target>.+?)\s+"
    r"(?:is|are|'s|should be|needs to be|must be|has to be|is now)\s+"
    r"(?P<rest>.+)$",
    IGNORE,
)
# "should be done by friday" says when it is due
DONE_BY = re.compile(
    r"^(?:done|finished|ready|completed?|sorted|handed in|submitted|paid|sent)\s+"
    r"(?=(?:by|before|on|until|till|for)\b)",
    IGNORE,
)
REPEATS = re.compile(r"^(?P<target>.+?)\s+(?:repeats|recurs|happens)\s+(?P<rest>.+)$", IGNORE)
REMIND_EDIT = re.compile(
    r"^(?:(?:remind|ping|nudge|alert) me (?:about|of)|set a reminder (?:for|on)|"
    r"add a reminder (?:to|for|on)|"
    r"put a reminder on)\s+(?P<target>(?:task\s*)?#?\d+|it|that|this|that one)\s+"
    r"(?P<when>.+)$|"
    r"^(?:remind|ping|nudge|alert) me (?:about|of)\s+(?P<target2>(?:the|my)\s+.+?)\s+"
    r"(?P<when2>(?:at|on|by|in|tomorrow|tonight|today|this|next)\b.+)$|"  # "… about the bill at 6"
    r"^(?:put|add|set)\s+a\s+reminder\s+(?:on|to)\s+(?P<target3>(?:the|my)\s+.+?\s+(?:task|one))\s+"
    r"(?P<when3>(?:for|at|on)\b.+)$",  # "put a reminder on the dentist task for monday 9am"
    IGNORE,
)
ONE_FIRST = re.compile(
    r"^(?P<target>.+?\s+one|task\s*#?\d+|#\d+)\s*[,:\u2014\u2013-]+\s*"
    r"(?:(?:make|set|change|move|push)\s+(?:it|that)\s+(?:to\s+)?)?(?P<rest>\S.*)$",
    IGNORE,
)
FIELD_OF = re.compile(
    r"^(?:the\s+)?(?:priority|due\s+date|date|deadline|reminder)\s+(?:on|of|for)\s+", IGNORE
)
BEFORE_EDIT = re.compile(
    rf"^(?:remind me|(?:set|add|give me|put|make)\s+a reminder|alert me|ping me|nudge me)\s+"
    rf"(?:{dt.AMOUNT}|(?P<daybefore>the day))\s+before\s+(?P<target>.+?)"
    r"(?:\s+is due|\s+it'?s due)?$",
    IGNORE,
)
FIELDS = {"due date": "due", "date": "due", "deadline": "due", "due": "due", "priority": "priority",
          "label": "labels", "labels": "labels", "tag": "labels", "tags": "labels",
          "list": "list", "repeat": "recurrence", "recurrence": "recurrence",
          "reminder": "remind_at", "alarm": "remind_at"}  # fmt: skip
FIELD = r"(?P<field>due date|date|deadline|due|priority|labels?|tags?|list|repeat|recurrence|" \
    r"reminder|alarm)"  # fmt: skip
FIELD2 = FIELD.replace("field", "field2")
FIELD3 = FIELD.replace("field", "field3")
FIELD4 = FIELD.replace("field", "field4")
CLEAR = re.compile(
    rf"^(?:remove|clear|delete|drop|take off|take|strip|unset|cancel|get rid of)\s+"
    r"(?:the\s+|all\s+(?:the\s+)?|any\s+)?(?:(?:weekly|daily|monthly|yearly|recurring)\s+)?"
    rf"{FIELD}s?\s+"
    r"(?:from|of|on|for|off)\s+(?P<target>.+)$|"
    rf"^(?P<target2>.+?)\s+(?:has no|doesn't have a|does not have a|needs no)\s+{FIELD2}$|"
    rf"^(?:actually\s+)?no\s+{FIELD3}\s+(?:on|for)\s+"
    r"(?P<target3>it|that|this|that one|task\s*#?\d+|#\d+)$|"
    rf"^(?:(?:actually|nvm|never mind|wait|sorry|oops|oh),?\s+)?no\s+{FIELD4}"
    r"(?:,?\s+actually)?$",  # "nvm, no date": the task just talked about
    IGNORE,
)
FIELD_TO = re.compile(
    rf"^(?:change|set|move|update|push|make)\s+the\s+{FIELD}\s+(?:of|for|on)\s+(?P<target>.+?)\s+"
    r"(?:to|as)\s+(?P<rest>.+)$",
    IGNORE,
)


# "task 3 belongs in the Bills list", "take task 1 off the Groceries list", "put the bill off till
# monday": a task's list or date said without a field name
BELONGS = re.compile(
    r"^(?:(?P<target>.+?)\s+(?:belongs?|goes|go)|file\s+(?P<target2>.+?))\s+(?:in|on|to|under|into)\s+"
    r"(?:the\s+|my\s+)?"
    r"(?P<name>[\w-]+(?:\s+[\w-]+)?)\s+list$|"
    r"^file\s+(?P<target3>.+?)\s+under\s+(?P<name2>(?-i:[A-Z])[\w-]*)$",  # "… under Work"
    IGNORE,
)
OFF_LIST = re.compile(
    r"^(?:take|move|get)\s+(?P<target>.+?)\s+(?:off|out of)\s+(?:the|my)\s+[\w-]+(?:\s+[\w-]+)?"
    r"\s+list$",
    IGNORE,
)
PUT_OFF = re.compile(
    r"^(?:put\s+(?P<target>.+?)\s+off|put\s+off\s+(?P<target2>.+?))\s+"
    r"(?P<when>(?:till|until|til|'til|to|for)\s+.+)$",
    IGNORE,
)


RELABEL = re.compile(
    r"^(?:change|switch|swap|move)\s+(?:the\s+)?(?:label|tag)\s+(?:of|on|for)\s+(?P<target>.+?)\s+"
    r"from\s+#?(?P<old>[a-z][\w-]*)\s+to\s+#?(?P<new>[a-z][\w-]*)$",
    IGNORE,
)
DESCRIBE = re.compile(
    r"^(?:the\s+)?(?:description|notes?)\s+(?:of|for|on)\s+(?P<target>.+?)\s+"
    r"(?:should\s+(?:say|read|be)|says|reads|is|:)\s*:?\s+(?P<text>.+)$|"
    r"^(?P<target2>task\s*#?\d+|#\d+)\s+(?:description|notes?|details)\s*:\s*(?P<text2>\S.*)$|"
    r"^(?:put|add|write)\s+(?P<text3>.+?)\s+(?:in|into|to)\s+the\s+(?:description|notes?)\s+"
    r"(?:of|for|on)\s+(?P<target3>.+)$",  # "put 'gate code 4411' in the description of task 1"
    IGNORE,
)


COUNT = r"(?P<count>a|an|one|two|three|four|five|six|seven|\d+)"
UNIT = r"(?P<unit>days?|weeks?|hours?)"
PRIORITY_SET = (
    re.compile(
        r"^(?:set\s+|make\s+it\s+)?(?:priority|prio|p)\s*(?P<level>[1-4])\s+(?:for|on|to)\s+"
        r"(?P<target>.+)$",
        IGNORE,
    ),
    re.compile(  # "drop the Sarah email to p3", "bump task 2 up to p1"
        r"^(?:drop|bump|move|knock)\s+(?P<target>.+?)\s+(?:up\s+|down\s+)?to\s+"
        r"(?:p|priority\s*)(?P<level>[1-4])$",
        IGNORE,
    ),
)
SHIFT = (
    re.compile(
        r"^(?:push|move|bump|shift|delay|postpone|put off|defer|pull|bring)\s+(?P<target>.+?)\s+"
        rf"(?P<way>back|forward|out|later|earlier|ahead|up)?\s*(?:by\s+)?{COUNT}\s+{UNIT}"
        r"(?:\s+(?P<way2>later|earlier|back))?$",
        IGNORE,
    ),
    re.compile(rf"^give\s+(?P<target>.+?)\s+{COUNT}\s+(?:more|extra)\s+{UNIT}$", IGNORE),
    re.compile(rf"^{COUNT}\s+{UNIT}\s+later(?:\s+please)?$", IGNORE),  # "two days later"
    re.compile(  # "make that two hours later", "make it a day earlier"
        rf"^(?:make|set|have)\s+(?:it|that|this)\s+{COUNT}\s+{UNIT}\s+(?P<way>later|earlier)$",
        IGNORE,
    ),
)


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    return next((m for pattern in patterns if (m := pattern.match(text))), None)


def _moved(text: str) -> Intent | None:
    level = _first(PRIORITY_SET, typos.canon(text))  # "prioirty 1 for 5"
    if level:
        return Update(_aim(level["target"]), details=Details(priority=int(level["level"])))
    relabel = RELABEL.match(text)
    if relabel:
        details = Details(labels=(relabel["new"].lower(),), unlabel=(relabel["old"].lower(),))
        return Update(_aim(relabel["target"]), details=details)
    describe = DESCRIBE.match(text)
    if describe:
        said = describe["text"] or describe["text2"] or describe["text3"]
        target = describe["target"] or describe["target2"] or describe["target3"]
        return Update(_aim(target), description=ph.unquote(said))
    belongs = BELONGS.match(text)
    if belongs:
        target = belongs["target"] or belongs["target2"] or belongs["target3"]
        return Update(_aim(target), details=Details(list=belongs["name"] or belongs["name2"]))
    off = OFF_LIST.match(text)
    if off:
        return Update(_aim(off["target"]), details=Details(clear=("list",)))
    put_off = PUT_OFF.match(text)
    when = dt.only(put_off["when"]) if put_off else None
    if put_off and when is not None:
        return Update(_aim(put_off["target"] or put_off["target2"]), details=when)
    return None


STOP_REPEAT = re.compile(
    r"^(?:stop repeating|don'?t repeat|do not repeat|no more repeating(?: for)?|"
    r"(?:make|set)\s+(?=.+?\s+(?:not repeat|non-?repeating|one-?off|a one-?off)$))"
    r"\s*(?P<target>.+?)(?:\s+(?:not repeat|non-?repeating|one-?off|a one-?off))?"
    r"(?:\s+any ?more)?$|"
    r"^(?P<target2>.+?)\s+(?:should|must|shouldn'?t|doesn'?t need to|does not need to)\s+"
    r"(?:stop repeating|not repeat|repeat any ?more|repeat)(?:\s+any ?more)?$",
    IGNORE,
)
NOT_A_LABEL = r"(?!(?:the|a|an|my|its|this|that|all|any|every)\s)"
UNLABEL = re.compile(
    rf"^(?:drop|remove|delete|take off|take|strip|untag|clear)\s+(?:the\s+)?{NOT_A_LABEL}#?"
    r"(?P<label>[a-z][\w-]*)\s+(?:label|tag)(?:\s+(?:from|on|off(?: of)?)\s+(?P<target>.+))?$|"
    r"^(?:untag|unlabel)\s+#?(?P<label3>[a-z][\w-]*)\s+from\s+(?P<target3>.+)$|"
    r"^(?:untag|unlabel)\s+(?P<target2>.+?)\s+#?(?P<label2>[a-z][\w-]*)$",
    IGNORE,
)


def _shift(match: re.Match[str]) -> Update:
    """A move by an amount: "push it back a day", "give the report one more day"."""
    said = match.groupdict()
    way = (said.get("way") or said.get("way2") or "later").lower()
    count = match["count"].lower()
    amount = "1" if count in ("a", "an") else count
    sign = "-" if way in ("earlier", "up") else ""
    return Update(
        _aim(said.get("target") or "it"),
        details=Details(shift=f"{sign}{amount} {match['unit'].lower()}"),
    )


def _extra(text: str) -> Intent | None:
    """Follow-ups: "push it back a day", "stop repeating it", "drop the work label"."""
    shifted = _first(SHIFT, text)
    if shifted:
        return _shift(shifted)
    stop = STOP_REPEAT.match(text)
    if stop:
        return Update(
            _aim(stop["target"] or stop["target2"]), details=Details(clear=("recurrence",))
        )
    unlabel = UNLABEL.match(text)
    if unlabel:
        target = unlabel["target"] or unlabel["target2"] or unlabel["target3"] or "it"
        label = (unlabel["label"] or unlabel["label2"] or unlabel["label3"]).lower()
        return Update(_aim(target), details=Details(unlabel=(label,)))
    return None


def _aim(text: str) -> Target:
    return ph.target(text)


def _named(target: Target) -> bool:
    return bool(target.numbers or target.pointer or target.words)


def split(rest: str, strict: bool = False) -> tuple[Target, Details] | None:
    """The shortest leading words that name a task, when everything after them is details."""
    words = rest.split()
    for cut in range(1, len(words)):
        details = dt.only(" ".join(words[cut:]))
        if details is None:
            continue
        target = _aim(" ".join(words[:cut]))
        if re.search(r"\bto\b", target.words):
            continue  # "change number 6 to book dentist for Monday" renames it
        if _named(target) and (not strict or target.numbers or target.pointer):
            return target, details
    return None


def _labels(text: str) -> Details:
    """ "home and p2": the label home and priority 2."""
    names = [w.lstrip("#").lower() for w in re.split(r"(?:\s*[,&]\s*|\s+and\s+)", text)]
    levels = [int(n[1]) for n in names if re.fullmatch(r"p[1-4]", n)]
    labels = tuple(n for n in names if not re.fullmatch(r"p[1-4]", n))
    return Details(labels=labels, priority=levels[0] if levels else None)


# "move the electricity bill to Bills": a list named as it is written, not a date
MOVE_TO_LIST = re.compile(
    r"^(?:move|shift)\s+(?P<target>.+?)\s+(?:to|into|onto|under)\s+(?:my\s+|the\s+)?"
    r"(?P<list>(?-i:[A-Z])[\w'-]*(?:\s+(?-i:[A-Z])[\w'-]*)?)(?:\s+list)?$",
    IGNORE,
)


def change(text: str, low: str) -> Intent | None:
    """A change to a task's due date, priority, labels, list, repeat or reminder."""
    extra = _extra(text) or _moved(text)
    if extra is not None:
        return extra
    to_list = MOVE_TO_LIST.match(text)
    if to_list and dt.only(to_list["list"]) is None:
        return Update(_aim(to_list["target"]), details=Details(list=to_list["list"]))
    first = ONE_FIRST.match(text)
    now = dt.only(first["rest"]) if first else None
    if first and now is not None:  # "the call mom one — make it saturday 10:00"
        return Update(_aim(first["target"]), details=now)
    cleared = CLEAR.match(text)
    if cleared:
        said = cleared["field"] or cleared["field2"] or cleared["field3"] or cleared["field4"]
        field = FIELDS[said.lower()]
        target = cleared["target"] or cleared["target2"] or cleared["target3"] or "it"
        return Update(_aim(target), details=Details(clear=(field,)))
    labelled = LABEL_EDIT.match(text)
    if labelled:
        targets = [labelled[f"target{n}"] for n in ("", "2", "3", "4", "6")]
        names = [labelled[f"labels{n}"] for n in ("", "2", "3", "4", "5", "6")]
        return Update(_aim(next(filter(None, targets))), details=_labels(next(filter(None, names))))
    before = BEFORE_EDIT.match(text)
    if before:
        return Update(_aim(before["target"]), details=Details(remind=tk.before_spec(before)))
    reminder = REMIND_EDIT.match(text)
    if reminder:
        when = reminder["when"] or reminder["when2"] or reminder["when3"]
        _, said = dt.shared(f"x remind me {when}")
        remind = said.remind or f"at:{when}"
        target = reminder["target"] or reminder["target2"] or reminder["target3"]
        return Update(_aim(target), details=Details(remind=remind))
    field_to = FIELD_TO.match(text)
    if field_to:
        rest = field_to["rest"]
        if field_to["field"].lower() == "priority":
            rest = f"p{rest}" if rest.strip().isdigit() else f"{rest} priority"
        details = dt.only(rest)
        return Update(_aim(field_to["target"]), details=details) if details else None
    verb = VERB.match(text)
    if verb:
        strict = text.split()[0].lower() in WEAK_VERBS
        if re.match(r"^prioriti[sz]e\b", text, IGNORE):
            return Update(_aim(verb["rest"]), details=Details(priority=1))
        rest = re.sub(r"\s+(?:forward|back|out)(?=\s+(?:to|till|until|for)\s)", "", verb["rest"])
        rest = FIELD_OF.sub("", rest)  # "lower the priority on the report to p3": the report
        said = dt.only(rest) if re.match(r"to\s", rest, IGNORE) else None
        if said is not None:  # "change to 9:30": the task just talked about
            return Update(_aim("it"), details=said)
        found = split(rest, strict)
        if (
            found
            and re.match(r"^(?:lower|raise)\b", text, IGNORE)
            and found[1] != Details(priority=found[1].priority)
        ):
            return None  # "lower the blinds at 9pm" is a to-do; "lower task 4 to p3" is not
        return Update(found[0], details=found[1]) if found else None
    if re.match(r"(?:needs|has|ought|must|should)\s+(?:to\s+)?be\s", text, IGNORE):
        text = f"it {text}"  # "needs to be done by fri 5pm": the task just talked about
    for pattern in (STATE_EDIT, REPEATS):
        match = pattern.match(text)
        rest = match and DONE_BY.sub("", match["rest"])
        if match and rest and (details := dt.only(rest)) is not None:
            return Update(_aim(match["target"]), details=details)
    return None
