"""Finding the quick-add words in a text, clock-free: each token's span, and the title left over.

Tokens are masked out of a working copy of the same length, so every span is a position in the
text as typed. Quoted text and capitalised names ("Monday Night Football") are never read.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tasklive.tasks.quickadd import dates, doubt, repeats
from tasklive.tasks.quickadd import tokens as tk

SHIELD = "\x01"  # stands in for a protected letter: no pattern matches it
QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]+)[\"\u201d]|(?<!\w)'([^']+)'(?!\w)")
NAME_WORD = re.compile(rf"\b(?:{dates.DAY}s?|{dates.MONTH}|tomorrow|today|tonight)\b", re.I)
# "Friday the 13th", "Tomorrow, When the War Began": a title, not a date
NAMED_AFTER = re.compile(r"(?:\s+the\s+\d{1,2}(?:st|nd|rd|th)\b|,\s+[A-Z][a-z])")
HOLIDAY = re.compile(r"\b(?:black|good|cyber|ash|easter|palm|holy|super|blue)\s+$", re.I)
# three or more capitalised words inside a line, not at its start
NAME_RUN = re.compile(r"(?<=[a-z,]\s)(?-i:[A-Z][\w'&.-]*)(?:\s+(?-i:[A-Z][\w'&.-]*)){2,}")
HONORIFIC = re.compile(r"\b(?:Frau|Herr|Mr|Mrs|Ms|Miss|Dr|Prof|Mx)\.?\s+$")  # "Frau Sonntag"
CAPITAL = re.compile(r"[A-Z][\w'-]*")
# "Sunday in the Park with George": a capitalised word close after, and no "on"/"by" before
CAPITAL_LATER = re.compile(r"(?:\s+(?:in|of|the|and|with|at|on|a|to)){1,3}\s+(?!I\b)[A-Z][a-z]")
LED = re.compile(r"\b(?:on|by|next|this|due|until|till|before|from|every|each)\s+$", re.I)
CONNECTORS = r"(?:on|at|by|for|due|and|with|to|from|starting|every|in|of)"
LEAD_PUNCT = re.compile(r"^[\s,;:.!\-\u2013\u2014]+")
TAIL = re.compile(
    rf"(?:[\s,;:\-\u2013\u2014(]+|\s+{CONNECTORS}|\s+(?:probably|maybe|perhaps|ideally|"
    r"hopefully|preferably))+$",  # "clean the guest room, probably this weekend"
    re.I,
)


@dataclass(frozen=True)
class Token:
    """One recognised piece: where it is, its kind, and its words-level value."""

    start: int
    end: int
    kind: str
    value: str | int


@dataclass(frozen=True)
class Scanned:
    """What a text says, before any clock: the title and each detail's words."""

    text: str
    title: str
    description: str = ""
    when: str = ""
    clock: str = ""
    repeat: str = ""
    repeat_part: str = ""
    priority: int | None = None
    labels: tuple[str, ...] = ()
    list: str = ""
    remind: str = ""  # "due", "before:<n unit>", "at:<words>" or "lead:<words>"
    tokens: tuple[Token, ...] = field(default=())
    doubt: str = ""  # words the reader is unsure about; "" when it is sure

    @property
    def dated(self) -> bool:
        return bool(self.when or self.clock or self.repeat)

    @property
    def found(self) -> bool:
        """Whether any detail was recognised."""
        return bool(self.tokens)


class _Work:
    """The text with recognised tokens blanked out and protected words shielded."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.chars = list(text)
        self.taken = [False] * len(text)
        self.tokens: list[Token] = []
        self._now: str | None = text

    @property
    def now(self) -> str:
        """The working text as it stands (joined once per change, not per look)."""
        if self._now is None:
            self._now = "".join(self.chars)
        return self._now

    def replace(self, start: int, end: int, text: str) -> None:
        self.chars[start:end] = list(text)
        self._now = None

    def shield(self, start: int, end: int) -> None:
        self._now = None
        for i in range(start, end):
            if not self.chars[i].isspace():
                self.chars[i] = SHIELD

    def take(self, start: int, end: int, kind: str = "", value: str | int = "") -> None:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        self._now = None
        for i in range(start, end):
            self.chars[i] = " "
            self.taken[i] = True
        while start < end and self.text[start] in " ,;":
            start += 1
        if kind and end > start:
            self.tokens.append(Token(start, end, kind, value))

    def title(self) -> str:
        """What no token took; connectors and punctuation are trimmed only beside a token."""
        kept = "".join(c if not t else " " for c, t in zip(self.text, self.taken, strict=True))
        taken = [i for i, t in enumerate(self.taken) if t]
        first = next((i for i, c in enumerate(kept) if _wordy(c)), None)
        if first is None:
            return ""
        last = next(i for i in range(len(kept) - 1, first - 1, -1) if _wordy(kept[i]))
        middle = kept[first : last + 1]
        tail = kept[last + 1 :]
        after = bool(taken) and taken[-1] > last
        before = bool(taken) and taken[0] < first
        # A pattern of only `[...]*` matches every string (perhaps empty): never None.
        dotted = tail.startswith(".") and ABBREVIATED.search(f"{middle}.")  # "Roast Co."
        tail = tail if not after else re.match(r"[\"'\u201d)\]]*", tail).group()  # type: ignore[union-attr]
        tail = f".{tail}" if after and dotted else tail
        head = "" if before else kept[:first]
        kept = re.sub(r"\s+", " ", f"{head}{middle}{tail}").strip()
        if taken:
            kept = re.sub(r"([,;])(?:\s*[,;])+", r"\1", re.sub(r"\s+([,;:.!?])", r"\1", kept))
        previous = None
        while previous != kept and taken:
            previous = kept
            kept = TAIL.sub("", kept) if after else kept
            kept = LEAD_PUNCT.sub("", kept) if before else kept
        return _unquote(_end_trimmed(kept.strip()) if taken else kept.strip())


ABBREVIATED = re.compile(r"\b(?:Co|Inc|Ltd|Corp|Bros|St|Dr|Jr|Sr|Mt|Ave|Rd|etc|vs)\.$")


def _end_trimmed(title: str) -> str:
    """A title without the full stop or "!" a detail left at its end; "Roast Co." keeps its."""
    return title.rstrip("!") if ABBREVIATED.search(title.rstrip("!")) else title.rstrip(".!")


def _wordy(char: str) -> bool:
    """A letter, digit or symbol that belongs to a title ("🎉" too), not punctuation."""
    return char.isalnum() or char == "%" or unicodedata.category(char) in ("So", "Sk", "Sc")


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] in "\"'\u201c" and text[-1] in "\"'\u201d":
        inner = text[1:-1].strip()
        if inner and not QUOTED.search(inner):
            return inner
    return text


def _protect(work: _Work) -> None:
    """Quoted text, and weekday/month words inside capitalised names."""
    for match in QUOTED.finditer(work.text):
        work.shield(match.start(), match.end())
    words = work.text.split()
    titled = len(words) >= 3 and all(w[0].isupper() for w in words if w[0].isalpha())
    if titled:
        return
    for run in NAME_RUN.finditer(work.text):  # "at Every Day Fitness Bondi": a name
        if NAME_WORD.search(run.group()) or repeats.pick(run.group().lower()):
            work.shield(run.start(), run.end())
    for match in NAME_WORD.finditer(work.text):
        word = match.group()
        if not word[0].isupper():
            continue
        after = (
            CAPITAL.match(work.text[match.end() + 1 :]) if match.end() < len(work.text) else None
        )
        follows = work.text[match.end() : match.end() + 1] == " " and after
        led = LED.search(work.text[: match.start()])
        later = CAPITAL_LATER.match(work.text[match.end() :])
        named = match.start() > 0 and NAMED_AFTER.match(work.text[match.end() :])
        if (
            (follows and after and not NAME_WORD.fullmatch(after.group()))
            or HOLIDAY.search(work.text[: match.start()])
            or HONORIFIC.search(work.text[: match.start()])
            or (later and not led)
            or (named and not led)
            or (not led and _adjective_day(work.text, match))
            or (word.endswith("s") and BRAND_BEFORE.search(work.text[: match.start()]))
        ):
            tail = named.end() if named and "the" in named.group() else 0
            work.shield(match.start(), match.end() + tail)


# "Sunday roast every sunday 5pm": a capitalised day before a noun, with a date apart from it
NOUN_AFTER = re.compile(
    r"\s+(?!(?:at|by|on|in|to|and|or|the|before|after|morning|afternoon|evening|night|noon)\b)"
    r"[a-z][a-z'-]+"
)


# "a table at TGI Fridays": a plural day after an acronym inside the line is a name
BRAND_BEFORE = re.compile(r"(?<=\S)\s+(?-i:[A-Z][A-Z&]+)\s+$")


def _adjective_day(text: str, match: re.Match[str]) -> bool:
    if match.start() > 0 or not NOUN_AFTER.match(text, match.end()):
        return False
    rest = text[match.end() :]
    return bool(dates.DATE.search(rest) or repeats.pick(rest))


TYPO_WORDS = (*dates.WEEKDAYS, "tomorrow", "remind", "january", "february", "august",
              "september", "october", "november", "december", "weekly", "monthly",
              "urgent")  # fmt: skip
SAME_LETTERS = {"".join(sorted(word)): word for word in TYPO_WORDS}
WORD = re.compile(r"[a-z]{5,}", re.I)


def _typos(work: _Work) -> None:
    """Two letters swapped ("thurdsay", "remidn"): read as the word meant, in the working copy."""
    for match in WORD.finditer(work.now):
        low = match.group().lower()
        known = SAME_LETTERS.get("".join(sorted(low)))
        if known is None or known == low:
            continue
        wrong = [i for i in range(len(low)) if low[i] != known[i]]
        if len(wrong) == 2 and wrong[1] == wrong[0] + 1:
            work.replace(match.start(), match.end(), known)


def _reminder_lead(work: _Work) -> str:
    lead = tk.REMIND_LEAD.match(work.now) or tk.REMIND_AFTER.match(work.now)
    if lead:
        when = lead["when"]
        found = dates.find(when)
        rest = re.sub(r"\b(?:on|at|for|by|in)\b", " ", found.rest, flags=re.I).strip(" ,")
        if found and not rest:
            work.take(lead.start(), lead.end(), "reminder", when.strip())
            return f"lead:{when.strip()}"
    plain = tk.REMIND_TO.match(work.now)
    if plain:
        work.take(plain.start(), plain.end())
        return "due"
    return _reminder_bare(work)


def _reminder_bare(work: _Work) -> str:
    """The longest run of words after "remind me" that is all date, when words follow it."""
    bare = tk.REMIND_BARE.match(work.now)
    if not bare:
        return ""
    words = list(re.finditer(r"\S+", work.now[bare.end() :]))
    for count in range(min(len(words) - 1, 5), 0, -1):
        end = bare.end() + words[count - 1].end()
        when = work.now[bare.end() : end]
        if not _all_dates(when):
            continue
        task = words[count].group()
        if _all_dates(task) or tk.NOT_A_TODO_START.match(task):
            return ""
        work.take(bare.start(), end, "reminder", when.strip())
        return f"lead:{when.strip()}"
    return ""


def _description(work: _Work) -> str:
    match = tk.DESCRIPTION.search(work.now)
    if not match or not work.now[: match.start()].strip():
        return ""
    text = work.text[match.start("text") : match.end("text")].strip()
    work.take(match.start("text"), match.end("text"), "description", text)
    work.take(match.start(), match.end())
    return text


def _reminder(work: _Work) -> str:
    before = tk.REMIND_BEFORE.search(work.now)
    if before:
        spec = tk.before_spec(before)
        work.take(before.start(), before.end(), "reminder", spec)
        return spec
    at = tk.REMIND_AT.search(work.now)
    if at and work.now[: at.start()].strip():
        when = (at["when"] or "").strip()
        if when and not _all_dates(when):
            return ""
        work.take(at.start(), at.end(), "reminder", when or "due")
        return f"at:{when}" if when else "due"
    return ""


def _all_dates(words: str) -> bool:
    found = dates.find(words)
    rest = re.sub(r"\b(?:on|at|for|by|in)\b", " ", found.rest, flags=re.I)
    return bool(found) and not rest.strip(" ,.;")


def _list(work: _Work) -> str:
    match = tk.LIST.search(work.now) or tk.SHORT_LIST.search(work.now)
    if not match:
        return ""
    said = match.groupdict()
    group = next(g for g in ("name", "known", "name2", "name3", "name4", "name5") if said.get(g))
    name = re.sub(r"\s+list$", "", work.text[match.start(group) : match.end(group)], flags=re.I)
    name = tk.list_name(name)
    work.take(match.start(), match.end())
    work.take(match.start(group), match.end(group), "list", name)
    return name


def _labels(work: _Work) -> list[str]:
    labels: list[str] = []
    for pattern, group in ((tk.SPOKEN_TAGS, "names"), (tk.HASHTAGS, 0)):
        while match := pattern.search(work.now):
            base = match.start(group)
            for start, end, name in tk.tags_in(match.group(group)):
                work.take(base + start, base + end, "label", name)
                labels.append(name)
            work.take(match.start(), match.end())
    return list(dict.fromkeys(labels))


def _priority(work: _Work) -> int | None:
    match = tk.PRIORITY_FIRST.search(work.now) or tk.PRIORITY.search(work.now)
    if not match:
        return None
    value = tk.priority_of(match)
    work.take(match.start(), match.end(), "priority", value)
    return value


def _dates(work: _Work, repeating: bool) -> tuple[str, str]:
    match = dates.DATE.search(work.now) or dates.TIME_ONLY.search(work.now)
    if not match:
        loose = dates.LOOSE_CLOCK.search(work.now)
        at_end = loose and not work.now[loose.end() :].strip(" .,!")
        # on its own at the end, an hour is the next sensible one: "at 3" is 3pm, "at 9" 9am;
        # "at 6" or "at 7" may be either, so they stay (and the reader asks)
        if loose and (repeating or (at_end and not re.match(r"0?[67]\b", loose["clock"]))):
            work.take(loose.start(), loose.end(), "due", _words(loose.group()))
            return "", loose["clock"]
        return "", ""
    day, clock = match["day"] or "", match["clock"] or ""
    work.take(match.start(), match.end(), "due", _words(match.group()))
    if day and not clock:
        more = dates.TIME_ONLY.search(work.now) or dates.LOOSE_CLOCK.search(work.now)
        if more and not more.groupdict().get("day"):
            clock = more["clock"]
            work.take(more.start(), more.end(), "due", _words(more.group()))
    return _words(day), _words(clock)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;-")


@lru_cache(maxsize=1024)  # a turn reads its message several times; a Scanned never changes
def scan(text: str) -> Scanned:
    """The details `text` says and the title that remains, with every token's span."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    work = _Work(text)
    _protect(work)
    _typos(work)
    remind = _reminder_lead(work)
    description = _description(work)
    remind = _reminder(work) or remind if not remind.startswith("lead:") else remind
    listed = _list(work)
    labels = _labels(work)
    priority = _priority(work)
    rule, part = repeats.take(work)
    when, clock = _dates(work, bool(rule))
    title = work.title()
    if title.endswith("'s") and re.search(rf"{re.escape(title)}\s+due\b", text):
        title = title[:-2]  # "rent's due on the 1st"
    return Scanned(
        text=text,
        title=title,
        description=description,
        when=when,
        clock=clock,
        repeat=rule,
        repeat_part=part,
        priority=priority,
        labels=tuple(labels),
        list=listed,
        remind=remind,
        tokens=tuple(sorted(work.tokens, key=lambda t: t.start)),
        doubt=doubt.why(text, work.now, title, work.tokens)
        or doubt.half_unsaid(when, clock, part, remind),
    )
