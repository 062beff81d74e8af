"""Questions over dates, labels, lists and priority: "what's due friday?", "show my work tasks"."""

import re

from tasklive.agent.offline import details as dt
from tasklive.agent.offline.intents import Agenda, Intent
from tasklive.tasks.quickadd import dates

IGNORE = re.I
ASKS = re.compile(
    r"^(?:what(?:'s|s| is| are| do| have| else)?|which|anything|any|show|list|display|view|see|"
    r"give me|tell me|get(?=\s+(?:me\s+)?(?:my|all|everything|a\s+list|the\s+list|tasks?)\b)|"
    r"do i have|have i got|is there|are there|am i|whats|all|pull up|"
    r"my(?!(?:\s+[\w']+){1,3}\s+(?:is|are|was|were|has|have|will)\b)|"  # "my sister is …": news
    r"remind me what|is|are|was|were|did|does|do|have|has)\b",
    IGNORE,
)
OVERDUE = re.compile(r"\b(?:overdue|late|past due|missed|miss|behind)\b", IGNORE)
UPCOMING = re.compile(
    r"\b(?:coming up|upcoming|ahead|in the (?:next|coming) (?:few )?days|soon|later)\b", IGNORE
)
DUE = re.compile(r"\b(?:due|deadlines?|dated|scheduled|planned)\b", IGNORE)
GROUP = re.compile(
    r"\b(?:my|the|all|our)\s+(?:#)?(?P<word>[a-z][\w-]*)\s+(?:tasks|todos|to-dos|items|stuff|things|"
    r"jobs)\b",
    IGNORE,
)
LIST_NAMED = re.compile(
    rf"\b(?:my|the|our)\s+(?P<name>{dt.NOT_LIST}[a-z][\w'-]*(?:\s+(?!list\b)[a-z][\w'-]*)?)\s+"
    rf"list\b|\b(?:my|the)\s+(?P<known>{'|'.join(dt.LIST_NAMES)})\b",
    IGNORE,
)
TAGGED = re.compile(
    r"#(?P<tag>[a-z][\w-]*)|\b(?:tagged|labell?ed)\s+#?(?P<word>[a-z][\w-]*)", IGNORE
)
URGENT = re.compile(
    r"\b(?:urgent|p(?P<p>[1-4])|(?P<level>top|high|highest)[\s-]priority|important)\b", IGNORE
)
NOT_GROUPS = {
    "pending", "open", "done", "completed", "finished", "remaining", "outstanding", "other",
    "all", "current", "old", "new", "recent", "latest", "first", "last", "next", "many", "own",
    "task", "tasks", "today", "todays", "today's", "tomorrow's", "tomorrows", "overdue", "late",
    "upcoming", "urgent", "important", "active", "unfinished", "incomplete",
}  # fmt: skip


def ask(text: str, low: str) -> Intent | None:
    """A question over due days, labels, lists or priority; None for other listings."""
    if not (ASKS.match(low) or low.rstrip().endswith("?")):
        return None
    if OVERDUE.search(low):
        return Agenda(view="overdue")
    if UPCOMING.search(low):
        return Agenda(view="upcoming")
    tagged = TAGGED.search(text)
    if tagged:
        return Agenda(label=(tagged["tag"] or tagged["word"]).lower())
    named = LIST_NAMED.search(low)
    if named:
        return Agenda(list=(named["name"] or named["known"]).strip())
    urgent = URGENT.search(low)
    if urgent:
        level = urgent["p"] or (2 if (urgent["level"] or "") == "high" else 1)
        return Agenda(priority=int(level))
    found = dates.find(text)
    if found.day:
        low_day = found.day.lower()
        if re.fullmatch(r"(?:this|next)\s+week", low_day):
            return Agenda(view="week", when=low_day)
        return Agenda(view="day", when=found.day)
    group = GROUP.search(low)
    if group and group["word"] not in NOT_GROUPS:
        return Agenda(group=group["word"])
    if DUE.search(low) and re.search(r"\b(?:what|which|anything|show|list|any)\b", low):
        return Agenda(view="due")
    return None
