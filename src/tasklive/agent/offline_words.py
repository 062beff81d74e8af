"""The offline model's vocabulary: intents, cleaning, task references and the body of an add."""

import re
from dataclasses import dataclass
from typing import Literal

Status = Literal["all", "pending", "completed"]

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a couple": 2,
}
MAX_ITEMS = 20  # tasks one command may name or add
VAGUE_AMOUNTS = ("a few", "some", "several", "multiple", "many")
TASK_NOUN = r"(?:tasks?|to-?dos?|to dos?|items?|reminders?|entries|entry)"
FILLERS = re.compile(
    r"^(?:please|pls|kindly|ok(?:ay)?|so|also|and|then|now|just|hey|well|alright|actually|oops|"
    r"(?:can|could|would|will) (?:you|u)(?: please)?|help me|go ahead and|let'?s|"
    r"i(?:'d| would) like (?:you )?to|i want (?:you )?to|i wanna)\b[\s,]*",
    re.I,
)
TRAILERS = re.compile(r"[\s,]*\b(?:please|pls|for me|thanks|thank you|now)\s*$", re.I)
STATE_DONE = r"(?:complete|completed|done|finished|checked(?: off)?|ticked(?: off)?)"
STATE_UNDONE = (
    r"(?:incomplete|not (?:yet )?(?:done|complete|completed|finished)|undone|uncompleted|"
    r"unfinished|pending|open|active|to ?do|not checked)"
)


@dataclass(frozen=True)
class Intent:
    """One thing the user asked for; `numbers` or `ref` (title words) say which task."""

    kind: str
    title: str = ""
    description: str | None = None
    numbers: tuple[int, ...] = ()
    ref: str = ""
    status: Status = "all"
    completed: bool = True
    titles: tuple[str, ...] = ()
    count: int = 0
    topic: str = ""


def clean(text: str) -> str:
    """Whitespace collapsed, polite fillers and end punctuation removed; case kept."""
    text = re.sub(r"\s+", " ", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = text.strip(" \t.!?,;:")
        text = FILLERS.sub("", text)
        text = TRAILERS.sub("", text)
    return text


def strip_quotes(text: str) -> str:
    """A title without surrounding quotes or end punctuation."""
    text = text.strip().rstrip(".!")
    if len(text) >= 2 and text[0] in "\"'\u201c\u2018" and text[-1] in "\"'\u201d\u2019":
        text = text[1:-1].strip()
    return text


def number_of(word: str) -> int | None:
    """A task number from digits or a number word."""
    word = word.lower().lstrip("#")
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


NUMBER_TOKEN = r"(?:#?\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
NUMBERS_TARGET = re.compile(
    rf"^(?:the |my )?(?:(?:{TASK_NOUN}|numbers?|no\.?)\s*)?(?P<list>{NUMBER_TOKEN}"
    rf"(?:\s*(?:,|and|&|\+|or)\s*(?:(?:{TASK_NOUN}|number)\s*)?{NUMBER_TOKEN})*)$",
    re.I,
)
REF_NOISE = re.compile(
    r"\b(?:the|my|a|an|this|that|task|tasks|todo|todos|to-do|to-dos|item|items|one|entry|"
    r"called|named|titled|about|thing|on|from|list|which|says|reminder|with|for|off)\b",
    re.I,
)


def parse_target(text: str) -> Intent:
    """Which task(s) a phrase points at: numbers ("task 2", "#2 and #3") or title words."""
    text = clean(
        re.sub(
            r"\s+(?:from|off|on) (?:my|the) (?:task |to-?do )?(?:list|tasks)$", "", text, flags=re.I
        )
    )
    match = NUMBERS_TARGET.match(text)
    if match:
        words = re.findall(NUMBER_TOKEN, match["list"], flags=re.I)
        numbers = tuple(n for n in (number_of(w) for w in words) if n is not None)
        return Intent("target", numbers=tuple(dict.fromkeys(numbers))[:MAX_ITEMS])
    ref = re.sub(r"\s+", " ", REF_NOISE.sub(" ", text)).strip(" ,.'\"")
    return Intent("target", ref=ref)


def with_target(kind: str, target: str, **fields: object) -> Intent:
    found = parse_target(target)
    return Intent(kind, numbers=found.numbers, ref=found.ref, **fields)  # type: ignore[arg-type]


def split_list(text: str) -> tuple[str, ...]:
    """Titles from "a, b and c" or one per line."""
    parts = re.split(r"\s*(?:\n|;|,\s*(?:and\s+)?|\s+and\s+)\s*", text.strip())
    titles = (strip_quotes(re.sub(r"^(?:\d+[.)]|[-*•])\s*", "", part)) for part in parts)
    return tuple(title for title in titles if title)[:MAX_ITEMS]


ADD_VERB = (
    r"(?:add|create|make|new|put|insert|save|note(?: down)?|jot(?: down)?|write(?: down)?|"
    r"log|record|schedule|set up)"
)
STRONG_ADD_VERB = r"(?:add|create|new)"
LIST_SUFFIX = re.compile(
    r"\s+(?:to|on|in|onto|into) (?:my|the) (?:task |to-?do |todo )?(?:list|tasks|to-?dos)\b", re.I
)
ADD_LEAD = re.compile(
    rf"^(?:(?:a|an|the|one|another|new|single)\s+)*(?:{TASK_NOUN}\b)?\s*"
    r"(?:(?:to|on|in|onto) (?:my|the) (?:task |to-?do |todo )?(?:list|tasks)\s*)?"
    r"(?:called|named|titled|that says|saying|which says|to|for|about|of|:|-|\u2013)?\s*",
    re.I,
)
DESCRIPTION = re.compile(
    r"^(?P<title>.+?)\s*[,;]?\s*(?:with (?:the |a )?(?:description|details|notes?)|"
    r"(?:description|details|notes?)\s*:)\s*:?\s*(?P<description>.+)$",
    re.I,
)
AMOUNT = re.compile(
    rf"^(?P<amount>\d+|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))}|"
    rf"{'|'.join(VAGUE_AMOUNTS)})\s+(?:new\s+|more\s+)?(?:tasks|to-?dos|items|reminders|things)\b(?P<rest>.*)$",
    re.I,
)
PLURAL_LIST = re.compile(
    r"^(?:(?:the )?following |these |some |new )?(?:tasks|to-?dos|items)\s*(?::|-)?\s*"
    r"(?P<rest>.+)$",
    re.I,
)


def parse_add(rest: str) -> Intent:
    """The part after an add verb: one title, a list of titles, or a request to ask."""
    rest = LIST_SUFFIX.sub("", rest).strip()
    amount = AMOUNT.match(rest)
    if amount:
        count = number_of(amount["amount"]) or 0
        listed = amount["rest"].split(":", 1)
        if len(listed) == 2 and split_list(listed[1]):
            return Intent("add_many", titles=split_list(listed[1]))
        return Intent("ask_many", count=count, topic=clean(amount["rest"]))
    plural = PLURAL_LIST.match(rest)
    if plural and len(split_list(plural["rest"])) > 1:
        return Intent("add_many", titles=split_list(plural["rest"]))
    title = ADD_LEAD.sub("", rest, count=1).strip()
    description = None
    with_description = DESCRIPTION.match(title)
    if with_description:
        title, description = (
            with_description["title"],
            strip_quotes(with_description["description"]),
        )
    title = strip_quotes(clean(title))
    if not title:
        return Intent("ask_title")
    return Intent("add", title=title, description=description)
