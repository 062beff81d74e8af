"""Task-first reading: a message with no command verb that reads as a to-do is an add.

"renew the lease on thursday", "p3 tidy the shed", "remind me at 7am to call mom" add a task;
a message of details alone ("due friday at 5pm", "remind me 15 minutes before") changes the task
just talked about; questions, greetings, thanks and complaints are never tasks.
"""

import re
from dataclasses import replace

from tasklive.agent.offline import details as dt
from tasklive.agent.offline import lexicon as lx
from tasklive.agent.offline import phrases as ph
from tasklive.agent.offline.intents import Add, Intent, NewTask, Target, Update
from tasklive.tasks.quickadd import dates, scan
from tasklive.tasks.quickadd import tokens as tk

A = lx.alternation
NOT_A_TODO = re.compile(
    r"^(?:what|when|where|who|whom|whose|why|how|which|is|are|am|was|were|do|does|did|can|could|"
    r"will|would|should|shall|may|might|have|has|had|i'?m|im|i am|it'?s|its|it is|that'?s|this|"
    r"these|those|there|here|you|your|you're|we|they|he|she|my|our|ugh|argh|meh|wow|lol|haha|"
    r"hmm|ok|okay|yes|no|nope|yeah|sure|thanks|thank|sorry|please|hi|hello|hey|good|great|bad|"
    r"not|never|nothing|everything|anything|something|why|just|so|very|too|oh|ah|well|a|an|"
    r"the|i|me|it|if|but|because|maybe|perhaps|probably|bye|goodbye|see you|good night|"
    r"goodnight|later|cya|ttyl|cheers|remind me|tell me|show me|give me|help me|let me|"
    r"set an? (?:alarm|timer))\b",
    re.I,
)
STATEMENT = re.compile(
    r"^(?:i|we)(?:\s+have|'ve got|\s+have got|\s+got|'ve)\s+(?:a|an|my|the|our|to)\s+(?P<what>.+)$|"
    r"^(?:there'?s|there is)\s+(?:a|an|my|the)\s+(?P<what2>.+)$|"
    r"^(?:my|our)\s+(?P<what3>.+?)\s+is\s+(?P<when>.+)$",
    re.I,
)
# Imperative verbs a to-do often starts with, beyond the offline model's TASK_VERBS.
MORE_VERBS = (
    "prune", "recharge", "renew", "sweep", "defrost", "wrap", "chase", "move", "hang", "replace",
    "set", "put", "change", "refill", "restock", "top up", "drop", "pick", "follow up", "reply",
    "respond", "answer", "sort", "tidy up", "declutter", "dust", "mop", "scrub", "polish", "fill",
    "cancel", "unsubscribe", "subscribe", "download", "upload", "buy", "get", "order", "return",
    "take", "bring", "find", "look", "think", "decide", "choose", "pick out", "try", "test", "run",
    "jog", "swim", "stretch", "meditate", "exercise", "work out", "cut", "trim", "shave", "wash",
    "feed", "groom", "vaccinate", "deworm", "bake", "prep", "draft", "outline", "edit", "proofread",
    "translate", "print", "scan", "shred", "archive", "backup", "back up", "update", "upgrade",
    "reset", "restart", "reboot", "fix", "patch", "deploy", "merge", "review", "approve", "sign",
    "notarize", "file", "claim", "request", "apply", "enroll", "enrol", "rsvp", "invite", "host",
    "celebrate", "congratulate", "thank", "visit", "pay", "transfer", "withdraw", "deposit",
    "budget", "save", "check", "inspect", "measure", "weigh", "count", "label", "pack", "unpack",
    "load", "unload", "empty", "clean", "vacuum", "iron", "fold", "hoover", "water", "plant",
    "repot", "rake", "mow", "weed", "harvest", "collect", "deliver", "ship", "send", "mail",
    "post", "text", "call", "ring", "phone", "email", "message", "ask", "tell", "book",
    "reserve", "schedule", "arrange", "organise", "organize", "plan", "prepare", "confirm",
    "write", "read", "learn", "study", "practice", "practise", "watch", "listen", "meet",
    "finish", "start", "begin", "continue", "submit", "register", "renew", "research", "go",
    "courier", "donate", "sell", "hire", "install", "assemble", "repair", "service", "charge",
    "refund", "cook", "grill", "roast", "shop", "fax", "photocopy", "laminate", "frame", "paint",
    "sand", "varnish", "glue", "sew", "knit", "mend", "hem", "wax", "raise", "lower", "lock",
    "unlock", "fetch", "grab", "drive", "walk", "bathe", "brush", "floss", "stock", "delegate",
    "compile", "compute", "compare", "oil", "grease", "deregister", "defrost", "descale", "bleed",
    "caulk", "seal", "recycle", "declare", "revise", "rehearse", "practise", "practice",
    "memorise", "memorize", "proofread", "translate", "transcribe", "digitise", "digitize",
)  # fmt: skip
VERB = re.compile(rf"^(?:re-?)?{A(tuple(set(lx.TASK_VERBS) | set(MORE_VERBS)))}\b", re.I)
REMINDER = re.compile(rf"^(?:{tk.REMIND_LEAD.pattern[2:]})", re.I)
ONLY_REMIND = re.compile(
    r"^(?:remind|nudge|ping|alert|notify)\s+me\s+(?:about\s+it\s+|of\s+it\s+)?(?P<when>.+)$", re.I
)
POLITE = re.compile(r"^\s*(?:please\s+)?(?:can|could|would|will)\s+(?:you|u)\b", re.I)
COPULA = re.compile(
    r"\b(?:was|were|is|are|am|been|being|felt|feel|feels|seems?|seemed|looks|looked|went|"
    r"sucks|sucked|hate|love|loved|hated)\b",
    re.I,
)
FORGET = re.compile(r"^(?:don'?t|do not) (?:let me )?forget (?:to |about )?(?:the )?", re.I)
NOTE = re.compile(
    r"^(?:add\s+)?(?:a\s+|the\s+)?(?:note|description|details)\s*(?::|\s(?:saying|that says|"
    r"reading|which says))\s*(?P<text>.+)$",
    re.I | re.S,
)


HEDGE = re.compile(rf"^(?:{A(lx.REMINDERS)})\b\s*", re.I)
# "file it under Work", "task 2: due tomorrow 9am", "stick the dentist one on my Health list":
# the details are for a task already there.
REFERS = re.compile(
    r"^(?:(?:file|put|stick|move|set|make|change|push|bump|shift|mark|tag|label)\s+)?"
    rf"(?P<target>it|this|that|(?:{ph.TASK_NOUN}\s*)?#?\d+|(?:the\s+)?\S+(?:\s+\S+)?\s+(?:one|task))"
    r"(?:\s+instead)?\s*:?$",
    re.I,
)


LATE_ADD = re.compile(r"(?:add|create)\s+(?!to\b)", re.I)


def as_update(task: NewTask) -> Update | None:
    """A new task whose title only names a task already there: an update of that one."""
    refers = REFERS.match(task.title)
    if not refers or not task.details or task.description or VERB.match(refers["target"]):
        return None
    details = replace(task.details, doubt="")
    return Update(ph.target(refers["target"]), details=details)


# Read before the command parsers: "set a reminder for friday at 8: ...", "note: ..."
FIRST = re.compile(
    rf"{REMINDER.pattern}|{NOTE.pattern}|^(?:(?:set|add|create|make)\s+(?:me\s+)?a\s+)?reminder\s*:|"
    r"^(?:i|we)(?:'ve got|\s+have got|\s+have|'ve)\s+(?:a|an|my|the|our)\s",
    re.I,
)


# "it's actually due on the 15th", "it should repeat every week", "push to next week": the
# task just talked about, with only details after
ABOUT_IT = re.compile(
    r"^(?:(?:no|nope|oops|sorry|actually|wait|nvm|i\s+meant|make\s+(?:it|that)|(?:let'?s\s+)?say|"
    r"how\s+about|what\s+about|same\s+time)\s*[,.!]*(?=\s)|"
    r"(?:it|that|this)(?:'s|\s+is|\s+should(?:\s+be)?|\s+needs\s+to\s+be)|"
    r"(?:push|move|bump|shift|switch|postpone|delay|reschedule|do|change)(?:\s+(?:it|that|this))?)"
    r"(?:\s+(?:actually|really|now))?\s+(?=\S)",
    re.I,
)


# "sorry, 4pm not 3", "it's on the 12th not the 11th": the old value said after the new one
NOT_THAT = re.compile(
    r",?\s+(?:not|instead of)\s+(?:the\s+)?\d{1,2}(?::\d{2})?(?:\s*[ap]m|st|nd|rd|th)?$", re.I
)


def follow_up(text: str) -> Intent | None:
    """Details alone, about the task just talked about ("due friday", "remind me at 6")."""
    note = NOTE.match(text)
    if note:
        return Update(Target(pointer="it"), description=ph.unquote(note["text"].strip()))
    remind = ONLY_REMIND.match(text)
    if remind and not re.match(r"(?:to|about|that)\b", remind["when"], re.I):
        said = dt.only(remind["when"])
        if said is not None and (said.when or said.clock) and not said.remind:
            return Update(Target(pointer="it"), details=dt.Details(remind=f"at:{remind['when']}"))
    details = dt.only(ABOUT_IT.sub("", NOT_THAT.sub("", text), count=1))
    if details is not None:
        return Update(Target(pointer="it"), details=details)
    return None


def statement(text: str) -> Intent | None:
    """ "I have a meeting tomorrow": the thing, due when it is; None without a day."""
    said = STATEMENT.match(text)
    if not said:
        return None
    if said["what3"] and dt.only(said["when"]) is None:
        return None  # "my sister is visiting later this month": news, not a to-do
    what = said["what"] or said["what2"] or f"{said['what3']} {said['when']}"
    task = ph.new_task(what)
    if not (task.details.when or task.details.clock) or not task.title:
        return None
    return Add((task,))


def reminds_first(text: str) -> bool:
    """ "remind me at 7am to call mom", and "set reminder 21:00 take BP medicine" too."""
    if REMINDER.match(text):
        return True
    return bool(tk.REMIND_BARE.match(text)) and scan(text).remind.startswith("lead:")


def read(text: str) -> Intent | None:
    """The message as a new task when it reads as one, or a follow-up; None when unsure."""
    asks = text.rstrip().endswith("?")
    if asks and not (POLITE.match(text) and (REMINDER.match(ph.clean(text)) or scan(text).found)):
        return None  # a question; "could you remind me at 7 to call mom?" is a request
    text = ph.clean(text)
    if not text or len(text) > 300:
        return None
    follow = follow_up(text)
    if follow is not None:
        return follow
    text = FORGET.sub("", text) or text
    said = statement(text)
    if said is not None:
        return said
    title, description, details = dt.read(text, reminder=bool(tk.REMIND_TO.match(text)))
    if not title or not re.search(r"[a-z]{2}", title, re.I):
        return None
    if details and HEDGE.match(title):  # "tomorrow I need to pick up the suit"
        title = HEDGE.sub("", title, count=1)
        text = title
    late_add = LATE_ADD.match(title)
    if details.list and late_add and not LATE_ADD.match(text):  # "on my Office list add toner"
        title = title[late_add.end() :]
    reminds = reminds_first(text)
    tokens = bool(details) or bool(description) or reminds
    if NOT_A_TODO.match(title) and not tokens:
        return None
    # "this weekend - clean the garage", "no rush, but fix the fence"
    dated_first = details and (dates.DATE.match(text) or tk.PRIORITY_FIRST.match(text))
    if NOT_A_TODO.match(text) and not reminds and not dated_first:
        return None
    if COPULA.search(title) and not VERB.match(title):
        return None  # "work was tiring today", "tomorrow is my birthday": talk, not a to-do
    if tokens or VERB.match(title):
        task = NewTask(ph.unquote(title), description, details)
        return as_update(task) or Add((task,))  # one line, one task
    return None
