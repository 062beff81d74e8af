"""Commands that change tasks already there: complete or reopen, rename or describe, delete."""

import re
from dataclasses import replace

from tasklive.agent.offline import lexicon as lx
from tasklive.agent.offline import phrases as ph
from tasklive.agent.offline.intents import (
    Complete,
    Delete,
    Intent,
    Target,
    Unknown,
    Update,
)

A = lx.alternation
IGNORE = re.I
DONE = A(lx.DONE_WORDS)
OPEN = A(lx.OPEN_WORDS)
WHEN = r"(?:\s+(?:already|just now|earlier|today|yesterday|this morning|last night|finally))*"
SUBJECT_ONLY = re.compile(
    r"^(?:i|i'm|im|we|we're|you|all|i am|we are|it's all|that's all)$", IGNORE
)


def _aim(text: str) -> Target:
    return ph.target(text)


DELETE = re.compile(rf"^{A(lx.DELETE.all())}(?:\s+(?P<target>.*?))?$", IGNORE)
TAKE_OFF = re.compile(r"^take (?P<target>.+?) off(?: (?:of )?(?:my|the) (?:\w+ )?list)?$", IGNORE)
UNNEEDED = re.compile(
    r"^(?:i|we) (?:don'?t|do not|no longer|won't) (?:need|want|have) (?:to (?:do )?)?"
    r"(?P<target>.+?)(?:\s+any ?more)?$|"
    r"^(?P<target2>.+?) (?:can go|is not needed|isn'?t needed|is no longer needed|is cancell?ed|"
    r"got cancell?ed|was cancell?ed|is off)$",
    IGNORE,
)


FOR_GOOD = re.compile(
    r"\s+(?:completely|entirely|permanently|altogether|for good|forever|from (?:my|the) list)$",
    IGNORE,
)


def delete(text: str, low: str) -> Intent | None:
    match = DELETE.match(text) or TAKE_OFF.match(text)
    if match:
        return Delete(_aim(FOR_GOOD.sub("", match["target"] or "")))
    unneeded = UNNEEDED.match(text)
    if unneeded:
        return Delete(_aim(unneeded["target"] or unneeded["target2"]))
    return None


MARKED = re.compile(
    rf"^{A(lx.MARK.all())}\s+(?P<target>.*?)\s*(?:\bback\s+)?(?:\b(?:as|to|is)\s+)?"
    rf"(?:(?P<open>{OPEN})|{DONE})(?:\s+again)?$",
    IGNORE,
)
MARK_ONLY = re.compile(rf"^{A(lx.MARK.strong)}(?:\s+(?P<target>.+?))?(?:\s+off)?$", IGNORE)
COMPLETE = re.compile(
    rf"^{A(lx.COMPLETE.all())}(?:\s+(?P<target>.*?))?(?:\s+off)?(?:\s+as (?:done|complete))?$",
    IGNORE,
)
UNCOMPLETE = re.compile(
    rf"^{A(lx.UNCOMPLETE.all())}(?:\s+(?P<target>.*?))?(?:\s+as\s+\w+(?:\s+\w+)?)?$", IGNORE
)
BACK = re.compile(
    r"^(?:put|move|bring|set|add) (?P<target>.+?) back(?: on(?:to)? (?:my|the) list| to "
    r"(?:open|pending|to ?do|not done)| again)?$",
    IGNORE,
)
DID_PHRASES = (
    "took care of", "dealt with", "handled", "sorted out", "sorted", "got through",
    "knocked out", "wrapped up", "crossed off", "ticked off", "checked off", "finished",
    "completed", "done", "did", "got done", "managed to", "remembered to",
)  # fmt: skip
I_DID = re.compile(
    rf"^{A(lx.I_DID)}\s+(?:(?:just|already|finally|actually|now)\s+)*"
    rf"(?:(?P<phrase>{A(DID_PHRASES)})\s+(?P<object>.+?)|(?P<verb>[a-z-]+)(?P<rest>(?:\s+.+?)?))"
    rf"{WHEN}$",
    IGNORE,
)
NEGATED = re.compile(
    rf"^{A(lx.NEGATED_I)}\s+(?:(?:actually|really|yet|even|got around to|managed to)\s+)*"
    rf"(?:(?P<phrase>{A(DID_PHRASES)})\s+(?P<object>.+?)|(?P<verb>[a-z-]+)\s+(?P<rest>.+?))"
    r"(?:\s+yet)?$",
    IGNORE,
)
STATE = re.compile(
    rf"^(?!(?:what|which|how|are|is|do|does|any|did|can|could|will)\b)(?P<target>.+?)\s+(?:"
    rf"(?P<neg>{A(lx.NEGATED_DONE)})\s+(?:really |actually |quite |yet )?{DONE}(?:\s+yet)?|"
    rf"(?:is|are|was|were|has been|have been|got|'s|should be|must be|can be|needs to be|"
    rf"is now|should now be)\s+(?:now |already |all |finally |actually |marked |marked as )?"
    rf"(?:(?P<open>{OPEN})|{DONE})(?:\s+again|\s+now|\s+already)?|"
    rf"{A(('done', 'finished', 'complete', 'completed', 'checked off', 'ticked off'))}|"
    r"(?P<open2>(?:still\s+)?(?:needs?|has) (?:doing|to be done|still to be done)))$",
    IGNORE,
)
PAST = re.compile(
    rf"^(?P<phrase>)(?P<verb>[a-z]+ed|{A(tuple(lx.PAST_TENSE))})\s+(?P<rest>.+?){WHEN}$", IGNORE
)
PASSIVE = re.compile(
    rf"^(?!(?:what|which|who|how|anything|something|everything|nothing)\b)"
    rf"(?P<target>.+?)(?:\s+has been|\s+have been|'s been|'ve been|\s+was|\s+were|\s+got|\s+is|'s)"
    rf"\s+(?:finally |already |just )?"
    rf"(?P<verb>[a-z]+ed|{A(tuple(lx.PAST_TENSE))}){WHEN}$",
    IGNORE,
)
SHORT_PASSIVE = re.compile(
    rf"^(?!(?:{A(lx.ADD.all() + lx.DELETE.all() + lx.UPDATE.all() + lx.LIST.all())}|which|"
    r"who|how|are|is|do|did)\b)"
    rf"(?P<target>(?:\S+\s+){{0,2}}\S+)\s+(?P<verb>[a-z]+ed|{A(tuple(lx.PAST_TENSE))})!?$",
    IGNORE,
)
NOT_VERBS = {"mean", "ask", "want", "say", "add", "need", "know", "think", "like", "get it"}


def past_base(word: str) -> str | None:
    """ "bought" -> "buy", "called" -> "call"; None when the word is not a past tense."""
    word = word.lower()
    if word in lx.PAST_TENSE:
        return lx.PAST_TENSE[word]
    if len(word) > 4 and word.endswith("ied"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    return None


def _did(match: re.Match[str], negated: bool) -> Intent | None:
    if match["phrase"]:
        return Complete(_aim(match["object"]), completed=not negated)
    verb = match["verb"].lower()
    base = (past_base(verb) or verb) if negated else past_base(verb)
    if base is None or base in NOT_VERBS or not match["rest"].strip():
        return None
    found = _aim(match["rest"])
    return Complete(replace(found, verb=base) if found.words else found, completed=not negated)


def complete(text: str, low: str) -> Intent | None:
    """Completing or reopening, as a command or as a statement about what happened."""
    for pattern, completed in ((UNCOMPLETE, False), (BACK, False), (COMPLETE, True)):
        match = pattern.match(text)
        if match:
            return Complete(_aim(match["target"] or ""), completed=completed)
    marked = MARKED.match(text)
    if marked:
        return Complete(_aim(marked["target"]), completed=not marked["open"])
    negated = NEGATED.match(text)
    if negated:
        return _did(negated, negated=True)
    state = STATE.match(text)
    if state and not SUBJECT_ONLY.match(state["target"]):
        reopened = state["open"] or state["neg"] or state["open2"]
        return Complete(_aim(state["target"]), completed=not reopened)
    did = I_DID.match(text) or PAST.match(text)
    if did:
        return _did(did, negated=False)
    passive = PASSIVE.match(text) or SHORT_PASSIVE.match(text)
    if passive and past_base(passive["verb"]) and not SUBJECT_ONLY.match(passive["target"]):
        spot = _aim(passive["target"])
        return Complete(replace(spot, verb=past_base(passive["verb"]) or ""))
    only = MARK_ONLY.match(text)
    if only and only["target"]:
        return Complete(_aim(only["target"]))
    return None


FIELD = r"(?P<field>title|name|description|details|notes?|text|wording)"
NEW = r"(?:to say|to read|so (?:that )?it says|to|into|as|with|:)"
POINTER_UPDATE = re.compile(
    r"^(?:actually,?\s+)?(?:make|change|rename|call|turn|update|edit|set)\s+(?P<target>it|that|"
    r"this|that one|this one)\s+(?:(?:to say|to read|say|read|to|into|as)(?:\s*:\s*|\s+))?"
    r"(?P<new>.+)$",
    IGNORE,
)
SAY = re.compile(
    r"^(?:make|have|let|change|set|edit|update|get|can|could|should)\s+(?P<target>.+?)"
    r"(?:\s+so(?: that)? it)?\s+"
    r"(?:say|read|be called|be named|says|reads|to say|to read)\s+(?P<new>.+)$",
    IGNORE,
)
SHOULD = re.compile(
    r"^(?P<target>.+?)\s+(?:should|must|needs to|ought to|has to)\s+(?:say|read|be called|"
    r"be named|be renamed to|be changed to|be retitled)\s+(?P<new>.+)$",
    IGNORE,
)
NOTE = re.compile(
    r"^(?:add|put|attach|write|set|leave|append)\s+(?:a |the |this |an? extra |some )?"
    r"(?:notes?|description|details|comments?)\s+(?:to|on|for)\s+(?P<target>.+?)"
    r"(?:\s*[:\-]\s*|\s*,\s*|\s+(?:saying|that says|reading|which says)\s+)(?P<new>.+)$|"
    r"^(?:a |the )?(?:note|description|details|comment)\s+(?:on|for|to)\s+(?P<target3>.+?)\s*:\s*"
    r"(?P<new3>.+)$|"
    r"^(?:for|on)\s+(?P<target4>.+?),?\s+(?:add|put|set|write)\s+(?:a |the )?(?:notes?|description|"
    r"details|comment)\s*:?\s*(?P<new4>.+)$|"
    r"^describe\s+(?P<target5>.+?)\s+as\s+(?P<new5>.+)$|"
    r"^(?:add|put|set)\s+(?:the\s+|a\s+)?(?:note|description)\s+(?P<new6>(?P<q>['\"]).+?(?P=q))\s+"
    r"(?:to|on)\s+(?P<target6>.+)$|"
    r"^(?:add|put|attach|write|set|leave)\s+(?:a |the )?(?:note|description|details|comment)"
    r"\s+(?:to|on|for)\s+(?P<target2>it|that|this|that one|(?:task\s*)?#?\d+)(?:\s+(?P<new2>.+))?$",
    IGNORE,
)
VERB_UPDATE = re.compile(
    rf"^{A(lx.UPDATE.all())}\s+(?:the\s+)?(?:{FIELD}\s+(?:of|for|on)\s+)?(?P<target>.+?)"
    r"(?<!note)(?<!notes)(?<!details)"  # "fix the gate latch - note: …" is a to-do with a note
    rf"(?:'s\s+{FIELD.replace('field', 'field2')})?(?:\s*:\s*|\s+{NEW}\s*:?\s+)(?P<new>.+)$",
    IGNORE,
)
NUMBERED_RENAME = re.compile(
    rf"^(?:rename|retitle|call)\s+(?P<target>(?:{ph.TASK_NOUN}\s*)?#?\d+)\s+(?P<new>.+)$", IGNORE
)
REPLACE = re.compile(r"^replace\s+(?P<target>.+?)\s+with\s+(?P<new>.+)$", IGNORE)
BARE_UPDATE = re.compile(rf"^{A(lx.UPDATE.strong)}(?:\s+(?P<target>.+))?$", IGNORE)


def _new_text(target: Target, new: str, field: str = "") -> Intent:
    new = ph.unquote(ph.clean(new))
    if re.fullmatch(DONE, new, IGNORE):
        return Complete(target)
    if re.fullmatch(OPEN, new, IGNORE):
        return Complete(target, completed=False)
    if re.match(rf"^(?:{DONE}|{OPEN})\b", new, IGNORE):
        return Unknown(new, target)
    if re.search("description|details|note|comment", field, IGNORE):
        return Update(target, description=new)
    return Update(target, title=new)


def update(text: str, low: str) -> Intent | None:
    """Renames and descriptions, direct ("change task 4 to ...") or not ("... should say ...")."""
    note = NOTE.match(text)
    if note:
        found = [note[f"target{i}"] for i in ("", 2, 3, 4, 5, 6) if note[f"target{i}"]]
        spot = _aim(found[0])
        new = next((note[f"new{i}"] for i in ("", 2, 3, 4, 5, 6) if note[f"new{i}"]), None)
        return Update(spot, description="") if not new else _new_text(spot, new, "note")
    for pattern in (POINTER_UPDATE, SAY, SHOULD, REPLACE):
        match = pattern.match(text)
        if match:
            return _new_text(_aim(match["target"]), match["new"])
    match = VERB_UPDATE.match(text)
    if match:
        field = match["field"] or match["field2"] or ""
        named = re.fullmatch(
            rf"(?:the\s+)?{FIELD.replace('field', 'field3')}", match["target"], IGNORE
        )
        target = "it" if named else match["target"]  # "change the title to …": the last task
        return _new_text(_aim(target), match["new"], field or (named["field3"] if named else ""))
    match = NUMBERED_RENAME.match(text)
    if match:
        return _new_text(_aim(match["target"]), match["new"])
    bare = BARE_UPDATE.match(text)
    if bare:
        return Update(
            _aim(re.sub(rf"\b{FIELD}\b(?:\s+of)?", " ", bare["target"] or "", flags=IGNORE))
        )
    return None
