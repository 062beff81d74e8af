"""Pieces of a sentence: cleaning, task references, and the items of a list."""

import re

from tasklive.agent.offline import details as dt
from tasklive.agent.offline import lexicon as lx
from tasklive.agent.offline.intents import NewTask, Target
from tasklive.tasks.quickadd import scan
from tasklive.tasks.quickadd import tokens as tk

FILLER = re.compile(rf"^{lx.alternation(lx.FILLERS)}\b[\s,]*", re.I)
TRAILER = re.compile(rf"[\s,]*\b{lx.alternation(lx.TRAILERS)}\s*$", re.I)
TASK_NOUN = lx.alternation(lx.TASK_NOUNS)
LIST_NOUN = lx.alternation(lx.LIST_NOUNS)
QUOTES = "\"'\u201c\u201d\u2018\u2019`"


def normalize(text: str) -> str:
    """Curly quotes made straight, whitespace collapsed on each line."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()).strip()


DOTTED_END = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.$")


def clean(text: str) -> str:
    """Polite fillers, trailing thanks and end punctuation removed; case kept ("!!" apart from
    the words is a priority, and stays)."""
    text = re.sub(r"\s+", " ", text).strip()
    bangs = BANGS.search(text)
    if bangs:
        text = text[: bangs.start()]
    previous = None
    while previous != text:
        previous = text
        literal = text.endswith("--")  # "'; drop table x; --" keeps its end
        dotted = DOTTED_END.search(text)  # "phone bill 3.4.": a date, day first
        text = text.lstrip(" \t.!?,;:-") if literal else text.strip(" \t.!?,;:-")
        text = f"{text}." if dotted and not text.endswith(".") else text
        text = FILLER.sub("", text)
        text = TRAILER.sub("", text)
    return f"{text} {bangs.group().strip()}" if bangs and re.search(r"\w", text) else text


BANGS = re.compile(r"(?:(?<=\s)!!!?|(?<=\w)!!!)\s*$")


def unquote(text: str) -> str:
    """A title without surrounding quotes or end punctuation."""
    text = text.strip()
    text = text if BANGS.search(text) else text.rstrip(".!,;")
    if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES:
        text = text[1:-1].strip()
    return text


def number_of(word: str) -> int | None:
    """A task number from digits ("#2", "2") or a number word ("two")."""
    word = word.lower().lstrip("#")
    if word.isdigit():
        return int(word)
    return lx.NUMBER_WORDS.get(word)


NUMBER = rf"(?:#?\d+|{'|'.join(lx.NUMBER_WORDS)})"
RANGE = re.compile(rf"^({NUMBER})\s*(?:-|\u2013|to|through|thru|until)\s*({NUMBER})$", re.I)
NUMBERS = re.compile(
    rf"^(?:the |my )?(?:(?:{TASK_NOUN}|numbers?|no\.?|nos\.?)\s*)*(?P<list>{NUMBER}"
    rf"(?:\s*(?:,|and|&|\+|or|-|\u2013|to|through|thru)\s*(?:(?:{TASK_NOUN}|number)\s*)?{NUMBER})*)$",
    re.I,
)
ORDINAL = re.compile(
    rf"^(?:the\s+)?(?P<ordinal>{lx.alternation(tuple(lx.ORDINALS))})"
    rf"(?:\s+(?:one|{TASK_NOUN}))?(?:\s+(?:on the list|in the list|you (?:listed|showed)))?$",
    re.I,
)
POINTER = re.compile(rf"^{lx.alternation(lx.POINTERS)}$", re.I)
PLURAL_POINTER = re.compile(rf"^{lx.alternation(lx.PLURAL_POINTERS)}$", re.I)
REFERENCE_NOISE = re.compile(
    r"\b(?:the|my|a|an|this|that|task|tasks|todo|todos|to-do|to-dos|item|items|one|entry|"
    r"called|named|titled|about|thing|on|from|list|which|says|reminder|with|for|off|everything|"
    r"anything|stuff)\b",
    re.I,
)
LIST_TAIL = re.compile(
    rf"\s+(?:from|off|on|in|of|to|onto|into)\s+(?:my|the)\s+(?:(?:task|to-?do|todo)\s+)?"
    rf"{LIST_NOUN}\b[^:]*$|\s+(?:on|in|onto|into)\s+there$",
    re.I,
)


def numbers_in(text: str) -> tuple[int, ...]:
    """Every number in "1, 3 and 5" or "2-4", in order, without repeats."""
    found: list[int] = []
    parts = re.split(r"\s*(?:,|\band\b|&|\+|\bor\b)\s*", text)
    for part in parts:
        part = re.sub(rf"^(?:{TASK_NOUN}|numbers?|number)\s*", "", part.strip(), flags=re.I)
        span = RANGE.match(part)
        if span:
            low, high = number_of(span[1]) or 0, number_of(span[2]) or 0
            if 0 < low <= high and high - low < lx.MAX_ITEMS:
                found.extend(range(low, high + 1))
            continue
        for word in re.findall(NUMBER, part, flags=re.I):
            number = number_of(word)
            if number is not None:
                found.append(number)
    return tuple(dict.fromkeys(found))[: lx.MAX_ITEMS]


def target(text: str) -> Target:
    """Which task(s) a phrase points at."""
    text = clean(LIST_TAIL.sub("", clean(text)))
    text = re.sub(r"\s+(?:back|again|too|as well)$|'s$", "", text, flags=re.I)
    text = re.sub(r"\s+as\s+(?:done|complete|completed|finished)\b", "", text, flags=re.I)
    if NUMBERS.match(text):
        return Target(numbers=numbers_in(text))
    ordinal = ORDINAL.match(text)
    if ordinal:
        return Target(pointer=f"ordinal:{lx.ORDINALS[ordinal['ordinal'].lower()]}")
    if POINTER.match(text):
        return Target(pointer="it")
    if PLURAL_POINTER.match(text):
        return Target(pointer="them")
    words = re.sub(r"\s+", " ", REFERENCE_NOISE.sub(" ", text)).strip(" ,.'\"")
    return Target(words=words)


BULLET = re.compile(r"^\s*(?:\d+[.)]|[-*•·]|\[ ?\])\s*")
QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]+)[\"\u201d]|(?<!\w)'([^']+)'(?!\w)")


COMMA = re.compile(r"\s*,(?!\d{3}\b)\s*(?:and\s+)?")
SEMICOLON = re.compile(";")
AND = re.compile(r"\s+and\s+")


def _split_at(text: str, masked: str, separator: re.Pattern[str]) -> list[str]:
    """`text` cut where `separator` is found in `masked` (the text with its quotes hidden)."""
    parts, start = [], 0
    for match in separator.finditer(masked):
        parts.append(text[start : match.start()])
        start = match.end()
    return [*parts, text[start:]]


def items(text: str, *, split_and: bool = True) -> tuple[str, ...]:
    """The titles in a list: one per line, "a; b", "a, b and c", or quoted "a" and "b"."""
    if QUOTED.fullmatch(text.strip()):
        return (unquote(text),)
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and re.match(r"^\s*1[.)]\s", text) and re.search(r"\s2[.)]\s", text):
        lines = re.split(r"\s+(?=\d+[.)]\s)", text.strip())
    if len(lines) > 1:
        parts = [BULLET.sub("", line) for line in lines]
    else:
        quoted = [a or b for a, b in QUOTED.findall(text)]
        leftover = QUOTED.sub("", text)
        # separators inside quotes are the title's own: 'run "DELETE FROM x;" on staging'
        masked = QUOTED.sub(lambda quote: "q" * len(quote.group()), text)
        masked = tk.SPOKEN_TAGS.sub(lambda tags: "t" * len(tags.group()), masked)  # "tags: a, b"
        semicolons = _split_at(text, masked, SEMICOLON)
        if len(quoted) > 1 and not re.sub(r"[\s,;&]|\band\b|\bor\b", "", leftover):
            parts = quoted
        elif ";" in masked and all(re.search(r"\w", part) for part in semicolons):
            parts = semicolons
        elif ";" in masked:  # "'; drop table x; --" is one literal title, not commands
            return (text.strip(),)
        elif DASHED.match(masked):  # "pack for Byron -- sunscreen, hats": what to pack
            parts = [text]
        elif re.search(r",(?!\d{3}\b)", masked):
            parts = _split_at(text, masked, COMMA)  # "10,000 steps" is one
            hidden = _split_at(masked, masked, COMMA)[-1]
            detail = scan(f"x, {parts[-1]}").title == "x"  # "..., tags home and admin"
            split = split_and and not detail
            last = _split_at(parts[-1], hidden, AND) if split else [parts[-1]]
            parts = parts[:-1] + last
        else:
            parts = [text]
    parts = _joined(parts, semicolons=";" in text and len(lines) <= 1)
    titles = (unquote(clean(BULLET.sub("", part))) for part in parts)
    return tuple(title for title in titles if title)


DASHED = re.compile(r"[^,]*\w\s+(?:--|\u2014|\u2013)\s+[^,]+,")
SUBJECT = re.compile(
    r"^\s*(?:they|it|it's|its|he|she|we|i|i'm|this|that|these|those|there|which|who)\b", re.I
)


THE = re.compile(r"^\s*(?:the|a|an)\s", re.I)
HEDGED = re.compile(r"^\s*(?:probably|maybe|perhaps|ideally|hopefully|preferably)\s+", re.I)


def _joined(parts: list[str], semicolons: bool) -> list[str]:
    """Parts that are only details ("high priority", "label it work") belong to the one before;
    so does a clause after ";" that is no to-do ("water the plants; they look dry")."""
    joined: list[str] = []
    for part in parts:
        hedged = HEDGED.sub("", part)  # ", probably this weekend"
        said_of = semicolons and (SUBJECT.match(part) or THE.match(part))  # "…; the blue kind"
        if joined and (scan(f"x, {hedged}").title == "x" or said_of):
            joined[-1] = f"{joined[-1]}, {part}" if not semicolons else f"{joined[-1]}; {part}"
        else:
            joined.append(part)
    return joined


DESCRIPTION = re.compile(
    r"^(?P<title>.+?)\s*[,;(]?\s*(?:with (?:the |a )?(?:description|details|notes?)|"
    r"(?:description|details|notes?)\s*:|-\s+(?:notes?|details)\s*:?)\s*:?\s*"
    r"(?P<description>.+?)\)?$",
    re.I | re.S,
)


AS_A_TASK = re.compile(r"\s+as\s+(?:a\s+)?(?:new\s+)?(?:task|to-?do|reminder)\W*$", re.I)


def new_task(title: str, shared: dt.Details | None = None, *, reminder: bool = False) -> NewTask:
    """A title with its optional "with description ..." and its details split off.

    `shared`: details said once for every item ("... to my groceries list").
    """
    title = AS_A_TASK.sub("", title)
    described = DESCRIPTION.match(title)
    description = ""
    if described:
        title, description = described["title"], unquote(described["description"])
    title, note, details = dt.read(title, reminder=reminder)
    description = description or note
    title = title.strip() if ";" in title else clean(title)  # "'; drop table x; --" stays
    return NewTask(unquote(title), description, dt.merged(shared, details))


REFERENCE = re.compile(
    rf"(?:\b{TASK_NOUN}\b|#\d|\b\d+\b|\b(?:it|them|all|everything|those|these|that one)\b|"
    rf"\b{lx.alternation(tuple(lx.ORDINALS))}\b)",
    re.I,
)
