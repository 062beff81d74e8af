"""The offline model's words: one verb table per intent, shared by the splitter and the parsers.

Adding a phrasing is one row here. `strong` verbs start a command anywhere in a message; `weak`
verbs only when a task reference follows ("check task 2", not "check the oven").
"""

import difflib
import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Verbs:
    """The words that start one intent's commands."""

    intent: str
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        return self.strong + self.weak


@cache
def alternation(phrases: tuple[str, ...]) -> str:
    """A regex alternation, longest phrase first, spaces matching any whitespace."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) + ")"


# fmt: off
ADD = Verbs(
    "add",
    strong=("add", "create", "new task", "new todo", "new to-do", "make a task", "make a new task",
            "make a todo", "put down", "jot down", "note down", "write down", "set up a task"),
    weak=("put", "insert", "save", "note", "jot", "log", "record", "schedule", "make", "new",
          "include", "stick", "throw", "pop"),
)
# Sentences that are themselves a new task: "remind me to call mom", "I need to pay rent".
REMINDERS = (
    "remind me to", "remind me about", "remind me that i need to", "remind me that i have to",
    "remember to", "remember that i need to", "don't let me forget to", "don't let me forget about",
    "dont let me forget to", "don't forget to", "dont forget to", "do not forget to",
    "don't forget about", "i need to", "i have to", "i must", "i should", "i gotta", "i've got to",
    "i have got to", "i ought to", "i want to", "i'd like to", "need to", "have to", "gotta",
    "note to self", "todo", "to do", "to-do", "i still need to", "i still have to",
    "i need to remember to", "i should really", "i really need to", "i must remember to",
    "i'd like a reminder to", "i want a reminder to", "set a reminder to", "a reminder to",
    "i must not forget to", "i mustn't forget to", "i can't forget to", "i shouldn't forget to",
    "don't let me forget", "make sure i", "make sure to", "must", "we need to", "we have to",
    "we must", "we should",
)
COMPLETE = Verbs(
    "complete",
    strong=("complete", "finish", "finished", "completed", "mark off", "check off", "tick off",
            "cross off", "done with", "i'm done with", "i am done with", "i'm finished with",
            "all done with", "i'm all done with", "finished with", "done w/", "all done w/",
            "finished w/"),
    weak=("close", "resolve", "check", "tick", "cross", "wrap up", "knock out"),
)
UNCOMPLETE = Verbs(
    "uncomplete",
    strong=("reopen", "re-open", "unmark", "uncheck", "untick", "uncomplete", "un-complete",
            "unfinish", "mark undone", "undo the completion of", "undo completing",
            "undo the completion on", "uncross"),
    weak=("restore", "revive", "unarchive"),
)
DELETE = Verbs(
    "delete",
    strong=("delete", "remove", "erase", "get rid of", "trash", "discard", "scrap", "ditch",
            "nuke", "cross out", "strike", "take off", "forget about"),
    weak=("drop", "cancel", "clear", "kill", "axe", "lose", "toss", "wipe", "bin",  # bin bags
          "throw away"),
)
UPDATE = Verbs(
    "update",
    strong=("rename", "retitle", "reword", "change", "update", "edit", "modify", "amend",
            "correct", "replace"),
    weak=("fix", "set", "make", "turn"),
)
MARK = Verbs("mark", strong=("mark", "flag"), weak=("set", "move", "put", "make", "label"))
LIST = Verbs(
    "list",
    strong=("show", "list", "display", "what are my", "what's on my", "whats on my",
            "what is on my", "what do i have", "what do i need to do", "what's left",
            "whats left", "what is left", "how many"),
    weak=("view", "see", "give me", "tell me", "get", "print", "read", "check", "what"),
)
UNDO = Verbs(
    "undo",
    strong=("undo", "scratch that", "revert", "take that back", "undo that", "undo the last",
            "reverse that", "roll back", "rollback", "cancel that", "forget that",
            "never mind that", "nevermind that", "oops undo", "put it back", "bring it back"),
)
VERB_TABLES = (ADD, COMPLETE, UNCOMPLETE, DELETE, UPDATE, MARK, LIST, UNDO)

# States a task can be said to be in.
DONE_WORDS = (
    "done", "complete", "completed", "finished", "checked off", "ticked off", "crossed off",
    "sorted", "handled", "taken care of", "dealt with", "out of the way", "over", "closed",
    "resolved", "finito", "bought", "paid", "sent", "fixed", "booked", "submitted", "cleaned",
    "called", "booked", "ordered", "returned", "picked up", "mailed", "posted", "dropped off",
    "delivered", "written", "read", "made", "ready",
)
OPEN_WORDS = (
    "not done", "not complete", "not completed", "not finished", "undone", "incomplete",
    "uncompleted", "unfinished", "pending", "open", "open again", "active", "to do", "todo",
    "not done yet", "not finished yet", "back on", "reopened", "not checked", "outstanding",
    "still open", "still to do", "not yet done", "not really done",
)
NEGATED_DONE = (
    "isn't", "is not", "isnt", "aren't", "are not", "arent", "wasn't", "was not", "wasnt",
    "hasn't been", "has not been", "haven't been", "never got",
)
# "I haven't actually bought milk", "I didn't call mom".
NEGATED_I = (
    "i haven't", "i have not", "i havent", "i didn't", "i did not", "i didnt", "i never",
    "i haven't actually", "i didn't actually", "i have not actually", "i did not actually",
    "i haven't really", "i didn't really", "i haven't yet", "i still haven't", "i havent actually",
)
# Past tense of the verbs tasks usually start with; regular "-ed" verbs are guessed.
PAST_TENSE = {
    "bought": "buy", "paid": "pay", "sent": "send", "wrote": "write", "fed": "feed",
    "made": "make", "did": "do", "got": "get", "went": "go", "took": "take", "gave": "give",
    "ran": "run", "met": "meet", "sold": "sell", "told": "tell", "found": "find",
    "brought": "bring", "caught": "catch", "hung": "hang",
    "swept": "sweep", "spoke": "speak", "drove": "drive", "ate": "eat", "drank": "drink",
    "sang": "sing", "began": "begin", "chose": "choose", "forgot": "forget", "threw": "throw",
    "kept": "keep", "built": "build", "taught": "teach", "thought": "think",
    "won": "win", "rode": "ride", "hid": "hide", "shook": "shake", "woke": "wake",
    "fixed": "fix", "washed": "wash", "finished": "finish", "completed": "complete",
    "done": "do", "handled": "handle", "sorted": "sort", "picked": "pick", "returned": "return",
}
# Words that may appear between "I" and the verb: "I just bought", "I've already paid".
I_DID = (
    "i", "i've", "i have", "ive", "i just", "i've just", "i have just", "i already",
    "i've already", "i have already", "i finally", "i've finally", "i have finally", "i actually",
    "we", "we've", "we just",
)
# Things people say they need that are not tasks: "I need to vent".
NOT_TASKS = (
    "vent", "rant", "talk", "relax", "rest", "sleep", "breathe", "cry", "scream", "chill",
    "calm down", "unwind", "think", "be alone", "get this off my chest", "focus", "sit down",
    "take a breath", "pee", "go", "leave", "know", "understand", "ask you something",
    "ask something", "talk to someone", "talk to you", "stop", "go to bed", "be happy",
    "feel better", "complain", "get out of here", "laugh", "smile", "escape", "hide",
)
FILLERS = (
    "please", "pls", "plz", "kindly", "ok", "okay", "so", "also", "and", "then", "now", "just",
    "hey", "well", "alright", "oh", "oops", "um", "uh", "hmm", "right", "great", "cool",
    "can you", "could you", "would you", "will you", "can u", "could u", "can you please",
    "could you please", "would you please", "help me", "go ahead and", "let's", "lets",
    "i'd like you to", "i would like you to", "i want you to",
    "you can", "you should", "please can you", "hi", "hello",
    "and then", "and also", "after that", "as well", "oh and", "one more thing", "btw",
    "by the way", "quickly", "real quick", "for me", "actually", "sorry", "oh wait", "ah",
    "no wait", "wait", "hold on", "finally", "oh no", "oh dear", "whoops", "uh oh", "argh",
    "yay", "woohoo", "phew", "hooray", "on second thought", "on second thoughts",
    "come to think of it",
)
TRAILERS = (
    "please", "pls", "thanks", "thank you", "for me", "now", "thx", "ty", "instead",
    "finally", "already", "at last", "actually", "yay",
)
TASK_NOUNS = (
    "task", "tasks", "todo", "todos", "to-do", "to-dos", "to do", "item", "items", "reminder",
    "reminders", "entry", "entries", "thing", "things", "one", "ones",
)
LIST_NOUNS = (
    "list", "tasks", "todos", "to-dos", "to-do list", "todo list", "to do list", "task list",
    "list of tasks", "agenda", "plate",
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "twenty": 20,
}
ORDINALS = {
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
    "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "seventh": 6, "7th": 6, "eighth": 7, "8th": 7,
    "ninth": 8, "9th": 8, "tenth": 9, "10th": 9, "last": -1, "final": -1,
    "second to last": -2, "penultimate": -2,
}
POINTERS = (
    "it", "that", "this", "that one", "this one", "that task", "this task", "the task",
    "that last one", "the one i just added", "the one i added", "the last one i added",
    "what i just added", "the new one", "the one you just added",
)
PLURAL_POINTERS = (
    "them", "those", "these", "them all", "all of them", "both", "both of them", "all those",
    "all of those", "those ones", "these ones", "those tasks", "these tasks",
)
YES = (
    "yes", "yeah", "yea", "yep", "yup", "ya", "y", "sure", "ok", "okay", "confirm", "confirmed",
    "do it", "go ahead", "please do", "absolutely", "definitely", "correct", "affirmative",
    "proceed", "i'm sure", "i am sure", "yes please", "of course", "go for it", "sounds good",
    "right", "that's right", "exactly", "yes do it", "yes delete them all",
    "yes delete everything", "i confirm", "very sure",
)
NO = (
    "no", "nope", "nah", "n", "cancel", "stop", "don't", "dont", "do not", "never mind",
    "nevermind", "forget it", "abort", "wait", "keep them", "keep it", "not now", "no thanks",
    "no thank you", "leave it", "leave them", "don't do it", "no way", "not really", "hold on",
    "no don't", "no, keep them",
)
GREETINGS = (
    "hi", "hello", "hey", "hiya", "howdy", "yo", "greetings", "good morning", "good afternoon",
    "good evening", "hey there", "hi there", "hello there", "sup", "what's up", "whats up",
)
THANKS = (
    "thanks", "thank you", "thx", "ty", "cheers", "great", "awesome", "perfect", "cool", "nice",
    "good", "got it", "wonderful", "excellent", "brilliant", "lovely", "amazing", "ok thanks",
    "thanks a lot", "much appreciated", "appreciate it", "good job", "well done", "neat",
)
HELP = (
    "help", "what can you do", "how does this work", "how does it work", "commands",
    "who are you", "what are you", "how do i use this", "what do you do", "options", "menu",
)
# Off-topic subjects the assistant can name when it declines.
SUBJECTS = {
    "weather": "the weather", "news": "the news", "joke": "jokes", "time": "the time",
    "recipe": "recipes", "stock": "stocks", "score": "sports scores", "movie": "movies",
}
STATUS_PENDING = (
    "pending", "open", "incomplete", "uncompleted", "unfinished", "remaining", "outstanding",
    "left", "undone", "active", "not done", "not finished", "not completed", "need to do",
    "have to do", "still", "to do", "todo", "due",
)
STATUS_DONE = ("completed", "complete", "done", "finished", "checked off", "ticked off", "closed")
# Verbs a task's title often starts with: "buy milk and call mom" is two tasks.
TASK_VERBS = (
    "buy", "call", "pay", "email", "e-mail", "send", "book", "clean", "wash", "walk", "feed",
    "pick up", "get", "fix", "write", "finish", "cook", "water", "take", "bring", "return",
    "schedule", "order", "visit", "prepare", "review", "submit", "renew", "file", "print", "mail",
    "post", "text", "phone", "ring", "meet", "go", "drop off", "collect", "tidy", "vacuum", "mow",
    "iron", "learn", "practice", "practise", "study", "plan", "organize", "organise", "pack",
    "charge", "back up", "install", "paint", "repair", "ship", "sign", "apply", "register",
    "research", "cancel", "renew", "read", "grab", "make", "do", "see", "check", "ask", "tell",
    "invite", "confirm", "update", "clear out", "empty", "put away", "sort out", "look into",
)
# Verbs that name the same action: "I bought milk" completes "get milk".
SAME_ACTION = (
    ("buy", "get", "grab", "pick up", "pick", "order", "purchase", "shop"),
    ("call", "phone", "ring", "text", "contact"),
    ("email", "e-mail", "mail", "send", "write"),
    ("clean", "tidy", "wash", "vacuum", "hoover"),
    ("pay", "settle"),
    ("fix", "repair", "mend"),
    ("book", "reserve", "schedule"),
    ("do", "finish", "complete", "handle", "sort"),
)
# How "I have to ..." begins when it is talk, not a task: "I have to say, this is neat".
NOT_TASK_STARTS = (
    "say", "admit", "confess", "tell you", "ask you", "be honest", "agree", "disagree", "go now",
    "leave now", "get going", "run now", "wonder", "be", "have been", "say so",
)
TYPOS = {"ad": "add", "dlt": "delete", "del": "delete", "rm": "remove", "ls": "list",
         "title": "retitle", "name": "rename", "open": "reopen", "incomplete": "uncomplete"}
# fmt: on
MAX_ITEMS = 40  # tasks one message may add or name


COMMAND_WORDS = tuple(
    sorted(
        {w.split()[0] for table in VERB_TABLES for w in table.all() if len(w.split()[0]) >= 3}
        - {"all", "i'm", "what", "what's", "whats", "how", "new", "get", "see", "set", "put", "pop"}
    )
)
# Words never taken for a misspelt command: "how" is not "show".
REAL_WORDS = {
    phrase.split()[0]
    for table in (TASK_VERBS, FILLERS, YES, NO, GREETINGS, THANKS, HELP, REMINDERS, I_DID)
    for phrase in table
} | set(PAST_TENSE) | {
    "how", "what", "who", "why", "when", "where", "which", "can", "could", "will", "would",
    "the", "my", "is", "are", "do", "does", "did", "all", "any", "new", "not", "this", "that",
    "there", "task", "tasks", "today", "tomorrow", "mom", "dad", "milk",
    # everyday to-do verbs a close match would turn into a command ("delegate" is not "delete")
    "raise", "relist", "market", "revise", "rewrite", "reread", "sow", "date", "listen", "ready",
    "catch", "hang", "mend", "rehearse", "remark", "unpick", "delegate", "compile", "compute",
    "clone", "lower", "delight", "compare", "complain", "compose", "deliver", "detail", "debate",
}  # fmt: skip


def corrected(word: str) -> str | None:
    """The command verb a misspelt word stands for ("delte" -> "delete"), if it is close."""
    low = word.lower()
    if low in TYPOS:
        return TYPOS[low]
    if low in REAL_WORDS or low.endswith(("ed", "ing", "s")):
        return None
    return _closest(low, COMMAND_WORDS)


STATE_WORDS = (
    "done", "complete", "completed", "finished", "open", "pending", "incomplete", "undone",
)  # fmt: skip


def corrected_state(word: str) -> str | None:
    """The state word a misspelt last word stands for ("doen" -> "done")."""
    return _closest(word.lower(), STATE_WORDS) if len(word) >= 4 else None


def _closest(low: str, words: tuple[str, ...]) -> str | None:
    if low in words or len(low) < 3:
        return None
    swapped = [w for w in words if sorted(w) == sorted(low)]
    # a typo keeps its first letter and about its length ("delte", "compelte")
    alike = tuple(w for w in words if w[0] == low[0] and abs(len(w) - len(low)) <= 1)
    close = swapped or difflib.get_close_matches(low, alike, n=1, cutoff=0.8)
    return close[0] if close else None
