"""The quick-add words besides dates: priorities, labels, lists, reminders and descriptions."""

import re

from tasklive.tasks.quickadd.dates import COUNT
from tasklive.tasks.quickadd.typos import spelled, variants

PRIORITY_WORD = spelled("priority")  # "prioirty 1"
REMINDER = spelled("reminder")

PRIORITY_WORDS = {"urgent": 1, "urgnt": 1, "urgently": 1, "critical": 1, "top": 1, "highest": 1,
                  "asap": 1, "high": 1, "important": 2, "medium": 3, "normal": 3, "low": 4,
                  "lowest": 4, "dringend": 1, "!!!": 1, "!!": 2}  # fmt: skip
LEVEL = r"(?:urgent|critical|top|highest|high|medium|normal|low|lowest)"
PRIORITY = re.compile(
    rf"(?<![\w#@])(?:(?:with\s+|at\s+|as\s+)?(?:a\s+)?(?:{PRIORITY_WORD}\s*(?:level\s*)?(?:of\s+)?"
    rf"(?P<number>[1-4])|(?:{PRIORITY_WORD}|prio)\s*:?\s*(?P<number2>[1-4])|p(?P<p>[1-4])|!(?P<bang>[1-4])|"
    rf"(?:(?:very|really)\s+)?(?P<level>{LEVEL})[\s-]+(?:{PRIORITY_WORD}|prio|importance)|"
    rf"{PRIORITY_WORD}\s*:?\s*(?P<level2>{LEVEL}))|(?P<asap>asap|a\.s\.a\.p\.?)|"
    r"(?:(?:it'?s|it\s+is|this\s+is|that'?s)\s+)?(?P<neg>not\s+(?:urgent|important|a\s+priority))|"
    rf"(?:(?:(?:it'?s|it\s+is|this\s+is|that'?s)\s+(?:(?:very|really|super|pretty|quite|so)\s+)?|"
    r"(?:very|really|super)\s+)(?P<word>urgent(?:ly)?|"
    r"important|critical)|(?<=[,;(\-\u2013\u2014])\s*(?P<word2>important|critical)|"
    r"\(?(?P<word3>urgent(?:ly)?|dringend)\)?)(?=\W*(?:$|[:,;!]))|(?<!\S)(?P<bangs>!!!?)(?!\S)|^\s*(?:(?:very|really|super)\s+)?(?P<lead>urge?nt|important)\s*[:!,-]\s*)(?!\w)"
    r"(?!\s+(?:for|on|of|to)\s+task\s*#?\d)",  # "p1 for task 5": another task's, not this one's
    re.I,
)
# "an urgent task to fix the heating"
PRIORITY_FIRST = re.compile(
    rf"(?<=^an )(?P<word>urgent|important)(?=\s+(?:task|to-?do|item|reminder)\b)|"
    rf"(?<=^a )(?P<level>{LEVEL})[\s-]priority(?=\s+(?:task|to-?do|item|reminder)\b)|"
    r"^(?P<shout>(?-i:URGENT|ASAP))\s+(?=[a-z])|"  # "URGENT replace the smoke alarm battery"
    r"(?<=\w)(?P<bangs3>!!!)(?=\s*$)|"  # "fix the gutter!!!"
    r"^\s*(?P<neg2>not\s+urgent|no\s+rush)(?:\s*[,:-]\s*|\s+but\s+)(?=\w)|"  # "no rush, but …"
    r"(?<=,)\s*(?P<neg3>no\s+rush|not\s+urgent|whenever|low\s+prio(?:rity)?)\s*[.!]*$",
    re.I,
)
TAG = r"(?:[a-z]|\d+[a-z])[\w-]{0,39}"  # "#home", "#1on1"; "#3" is a task
# "#home", "@work", "#a and #b"; an e-mail address is not a label.
HASHTAGS = re.compile(
    rf"(?<![\w&#@.])[#@]{TAG}(?![\w@.]*\.\w)(?:\s*(?:,|and|&|\+)?\s*[#@]{TAG}\b)*\b", re.I
)
SPOKEN_TAGS = re.compile(
    rf"(?:[,;]\s*|\s+\(?|^)(?:and\s+)?(?:(?:tag|label)\s+(?:it|this)\s+(?:as\s+|with\s+)?|"
    rf"(?:with|under)\s+(?:the\s+|a\s+)?(?:labels?|tags?)\s+|(?:labell?ed|tagged)\s+(?:as\s+|with\s+)?|"
    rf"(?:labels?|tags?)\s*:\s*|(?<=,\s)(?:labels|tags?)\s+(?!(?:it|them|this|that|the|a)\b))(?P<names>#?{TAG}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)#?{TAG})*)"
    r"(?=\W*$|\s*[,;.]|\s+(?:due|on|by|at|every|p[1-4]|#|@))",
    re.I,
)
ONE_TAG = re.compile(rf"[#@]?({TAG})", re.I)
NOT_LIST = r"(?!(?:to-?do|todo|task|tasks|reminder|reminders|shopping\s+cart)\b)"
LIST_NAMES = ("groceries", "grocery", "shopping", "errands", "chores", "packing")
LIST = re.compile(
    r"(?:(?:[,;]\s*|\s+|^)(?:and\s+)?(?:put|add|file|move|stick)\s+(?:it|this)\s+|^(?:it|this)\s+)?"
    rf"(?<!\w)(?:to|on|onto|in|into|for|under)\s+(?:my|the|our)\s+(?P<name>{NOT_LIST}[a-z][\w'-]*"
    r"(?:\s+(?!list\b)[a-z][\w'-]*)?)\s+list\b|"
    rf"(?<!\w)(?:to|on|onto|in|into|for)\s+(?:my\s+|the\s+)?(?P<known>{'|'.join(LIST_NAMES)})"
    r"(?:\s+list)?(?=\W*$|\s*[,;#@]|\s+(?:for|on|by|due|at|every|tomorrow|today|tonight|next|this)\b)",
    re.I,
)
# Lists said the short way: "eggs in Groceries", "file it under Work", "..., errands list",
# "Groceries: sourdough loaf"; a capitalised name alone is a list only after "in"/"under".
KNOWN_LISTS = (*LIST_NAMES, "work", "home", "personal", "health", "admin", "family", "inbox",
               "finance", "bills", "school", "garden", "kids")  # fmt: skip
LIST_TYPOS = {typo: word for word in LIST_NAMES for typo in variants(word) if len(word) > 5}


def list_name(said: str) -> str:
    """A list's name as said, or the known list it misspells ("the grocries list")."""
    return LIST_TYPOS.get(said.lower(), said)


# "..., list Travel", "..., list: Home Projects", "..., put it in Holidays"
LIST_AFTER_COMMA = (
    r",\s*(?:list\s*:?|(?:and\s+)?(?:put|file|stick)\s+(?:it|this)\s+(?:in|into|on|under))\s+"
    r"(?P<name5>(?-i:[A-Z])[\w'-]*(?:\s+(?-i:[A-Z])[\w'-]*)?)\s*$"
)
SHORT_LIST = re.compile(
    rf"(?<!\w)(?:in|into)\s+(?P<name>(?=(?-i:[A-Z]))(?:{'|'.join(KNOWN_LISTS)}))\b(?!\s+(?-i:[A-Z]))|"
    r"(?:(?<!\w)(?:and\s+)?(?:file|put|move|stick)\s+(?:it|this)\s+|(?<!\w))"  # "and file it under"
    r"under\s+(?:my\s+|the\s+)?(?P<name2>(?-i:[A-Z])[\w'-]+)(?:\s+list)?\b(?!\s+(?-i:[A-Z]))|"
    r",\s*(?:my\s+|the\s+)?(?P<name3>[a-z][\w'-]*)\s+list\s*$|"
    rf"{LIST_AFTER_COMMA}|"
    rf"^\s*(?P<name4>(?=(?-i:[A-Z]))(?:{'|'.join(KNOWN_LISTS)})|(?:(?-i:[A-Z])[\w'-]*\s+)?[a-z][\w'-]*\s+list)"
    r"(?:\s*:|\s+[-\u2013\u2014])(?=\s*\S)",  # "Home Depot list: caulk", "Costco list - towels"
    re.I,
)
UNIT = r"(?P<unit>minutes?|mins?|hours?|hrs?|h|m|days?|weeks?)"
AMOUNT = rf"(?P<count>{COUNT}|\d+)\s*{UNIT}"
REMINDER_WORDS = (
    rf"(?:remind(?:\s+me)?|with\s+a\s+{REMINDER}|set\s+a\s+{REMINDER}|add\s+a\s+{REMINDER}|"
    rf"a\s+{REMINDER}|{REMINDER}|alert\s+me|notify\s+me|ping\s+me|nudge\s+me|warn\s+me)"
)
REMIND_BEFORE = re.compile(
    rf"(?:[\s,;]+|^)(?:and\s+)?{REMINDER_WORDS}\s+(?:(?:about\s+it|of\s+it)\s+)?"
    rf"(?:{AMOUNT}|(?P<daybefore>the\s+(?P<part>day|night|evening)))\s+"
    r"(?:before(?:hand)?|earlier|ahead|prior|in advance)(?:\s+(?:it(?:'s|\s+is)\s+due|that|it))?"
    r"(?:\s+at\s+(?P<at>\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon)(?!\w))?",
    re.I,
)
EVENING_BEFORE = {"night": "8pm", "evening": "6pm"}


def before_spec(match: re.Match[str]) -> str:
    """A "remind me ... before" match as a reminder: "before:<amount>", or "eve:<time>" for a
    time on the day before ("the night before at 9pm")."""
    said = match.groupdict()  # edits' "remind me 2 days before task 4" has no part or time
    if not said["daybefore"]:
        return f"before:{said['count']} {said['unit'] or ''}".strip()
    part = (said.get("part") or "").lower()
    at = said.get("at") or EVENING_BEFORE.get(part, "")
    if said.get("at") and part in EVENING_BEFORE and not re.search(r"[ap]m|noon", at, re.I):
        at = f"{at}pm"  # "the night before at 9"
    return f"eve:{at}" if at else "before:1 day"


REMIND_AT = re.compile(
    rf"(?:[,;]\s*|\s+and\s+|(?<!\bto)\s+)(?:and\s+)?(?:remind\s+me|with\s+a\s+{REMINDER}|"
    rf"set\s+a\s+{REMINDER}|alert\s+me|"
    r"notify\s+me|ping\s+me|nudge\s+me)(?:\s+(?:about\s+it|of\s+it|then))?"
    r"(?P<when>\s+(?:(?:at|on|by|in)\s+|(?=(?:tomorrow|tonight|today|this|next|mon|tue|wed|thu|"
    r"fri|sat|sun)\w*\s+(?:at\s+)?\d))\S.*?)?(?=(?:\s+(?:[#@][\w-]+|p[1-4]))*\s*$)",
    re.I,
)
# "remind me at 7am to ...", "set a reminder for monday at 8: ...", "nudge me tomorrow to ..."
REMIND_LEAD = re.compile(
    r"^\s*(?:please\s+)?(?:(?:re?m[ie]?n?de?|nudge|ping|alert|notify)\s+me|"
    rf"(?:set|add|create|make)\s+(?:a\s+|me\s+a\s+)?{REMINDER}|a\s+{REMINDER}|{REMINDER})\s+"
    r"(?P<when>(?!to\b|about\b|that\b)(?:[^:]|:(?=\d))+?)\s*(?::(?!\d)\s*|\s+[-\u2013\u2014]\s+|"
    r"\s+(?:to|about|re:?|that\s+i\s+(?:need|have)\s+to)"
    r"\s+)(?=\S)",
    re.I,
)
# "at 9pm remind me to lock the gate", "in an hour, remind me to move the bike"
REMIND_AFTER = re.compile(
    r"^\s*(?P<when>[^,:]+?)\s*,?\s+(?:(?:please\s+)?(?:re?m[ie]?n?de?|nudge|ping|alert|notify)\s+me"
    rf"(?:\s+(?:to|about)\s+|\s*[:\u2013\u2014-]\s*)|{REMINDER}\s*[:\u2013\u2014-]\s*)(?=\S)",
    re.I,
)
# "set reminder 21:00 take BP medicine", "rmind me tmrw 7am gym": the when, then the task
REMIND_BARE = re.compile(
    r"^\s*(?:please\s+)?(?:(?:re?m[ie]?n?de?|nudge|ping|alert|notify)\s+me|"
    rf"(?:set|add|create|make)\s+(?:a\s+|me\s+a\s+)?{REMINDER}|{REMINDER})\s+(?=\S)",
    re.I,
)
# what follows such a when is a to-do, not "again", "as well" or "the dentist one"
NOT_A_TODO_START = re.compile(
    r"(?:again|too|also|as|please|pls|instead|then|about|for|of|on|at|in|by|with|to|the|my|a|an|"
    r"this|that|it|them|task|todo|and|or|but|so|if|when|every|each|i|we|you|he|she|they|there|"
    r"[#\d\W])(?!\w)",
    re.I,
)
REMIND_TO = re.compile(
    rf"^\s*(?:please\s+)?(?:(?:rem[ie]?n?d\s+me|nudge\s+me|set\s+a\s+{REMINDER})\s+(?:to|about)\s+|"
    rf"(?:(?:set|add|create|make)\s+(?:me\s+)?a\s+)?{REMINDER}\s*:\s*)(?=\S)",
    re.I,
)
DESCRIPTION = re.compile(
    r"(?:\s*[,;(]\s*|\s+)(?:with\s+(?:the\s+|a\s+)?(?:description|details|notes?)"
    r"(?:\s*:|\s+(?:saying|that\s+says|which\s+says|reading))?|"
    r"(?<=\.\s)(?:notes?|details)\s*[-:\u2013]|"  # "… tomorrow. notes - 1 kg sandesh"
    r"(?<=[,;(])\s*(?:description|details|notes?)\s*:|(?<=[,;(]\s)(?:description|details|notes?)\s*:|"
    r"(?:(?<=[,;(])|(?<=[,;(]\s))(?:description|details)\s+(?!(?:of|for|on|about|to|from|and)\b)|"
    r"(?:description|details|note)\s*:|--?\s*(?:notes?|details)\s*:?)\s*(?P<text>\S.*?)\)?\s*$",
    re.I | re.S,
)
UNIT_DELTA = {"minute": "minutes", "min": "minutes", "m": "minutes", "hour": "hours",
              "hr": "hours", "h": "hours", "day": "days", "week": "weeks"}  # fmt: skip


def priority_of(match: re.Match[str]) -> int:
    """The 1-4 a priority match says."""
    said = {key: value for key, value in match.groupdict().items() if value}
    digit = said.get("number") or said.get("number2") or said.get("p") or said.get("bang")
    if digit:
        return int(digit)
    if "asap" in said:
        return 1
    if "neg" in said or "neg2" in said or "neg3" in said:
        return 4
    keys = ("level", "level2", "word", "word2", "word3", "lead", "shout", "bangs", "bangs3")
    word = next(said[k] for k in keys if k in said)
    return PRIORITY_WORDS.get(word.lower(), 2)


def tags_in(words: str) -> list[tuple[int, int, str]]:
    """Each label in "#a and #b" / "a, b and c": its span within `words` and its name."""
    found = []
    for match in ONE_TAG.finditer(words):
        if match[1].lower() in ("and", "with", "as"):
            continue
        found.append((match.start(), match.end(), match[1].lower()))
    return found


def lead_words(remind: str) -> str:
    """The when of a reminder said first ("lead:for monday at 8" -> "monday at 8")."""
    return re.sub(r"^for\s+", "", remind.removeprefix("lead:"), flags=re.I)
