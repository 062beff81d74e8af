"""Double-texting: whether a message typed while an approval card waits answers it, and how."""

import re
from dataclasses import dataclass

YES = (
    "yes",
    "y",
    "yeah",
    "yea",
    "yep",
    "yup",
    "ya",
    "sure",
    "ok",
    "okay",
    "k",
    "fine",
    "go",
    "go ahead",
    "go on",
    "go for it",
    "do it",
    "just do it",
    "please do",
    "do that",
    "proceed",
    "confirm",
    "confirmed",
    "approve",
    "approved",
    "absolutely",
    "definitely",
    "of course",
    "sounds good",
    "correct",
    "right",
    "i am sure",
    "im sure",
)
NO = (
    "no",
    "n",
    "nope",
    "nah",
    "no way",
    "dont",
    "do not",
    "dont do it",
    "do not do it",
    "dont do that",
    "stop",
    "cancel",
    "cancel that",
    "cancel it",
    "deny",
    "denied",
    "decline",
    "never mind",
    "nevermind",
    "not now",
    "wait",
    "hold on",
    "abort",
    "keep them",
    "keep them all",
    "keep it",
    "keep all",
    "leave them",
    "leave them alone",
    "leave it",
    "dont delete them",
    "dont delete",
    "dont delete it",
    "dont complete them",
    "i changed my mind",
    "changed my mind",
)
# Words that may trail or lead an answer without changing it.
FILLER = frozenset({"please", "pls", "plz", "thanks", "thx", "ty", "then", "actually", "oh", "um"})
MOST_WORDS = 8
_PUNCTUATION = re.compile(r"[^\w\s,;.!?]")
_CLAUSES = re.compile(r"[,;.!?]+|\s+(?:and|but|so)\s+")
_REPEATS = re.compile(r"(\w)\1+")


def _folded(text: str) -> str:
    """Lower case, apostrophes and symbols gone, letters run together once ("yesss" -> "yes")."""
    text = text.lower().replace("\u2019", "").replace("'", "").replace("thank you", "thanks")
    text = _PUNCTUATION.sub("", text)
    return _REPEATS.sub(r"\1", " ".join(text.split()))


def _distance(a: str, b: str, most: int) -> int:
    """Edit distance with adjacent swaps ("yse" is one from "yes"); past `most` it stops early."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        if min(current) > most:
            return most + 1
        previous2, previous = previous, current
    return previous[-1]


# A yes that names an action answers only a card for that action ("complete them" never
# approves deleting everything).
ACTION_YES = {
    "delete": ("delete them", "delete them all", "delete all", "delete it", "clear them",
               "clear them all", "clear all", "remove them", "remove them all"),
    "complete": ("complete them", "complete them all", "complete all", "mark them",
                 "mark them all", "mark them done", "mark them all done", "mark all"),
}  # fmt: skip
NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "first",
        "second",
        "third",
        "last",
    ]
)
MOST_TYPOS = 2


def _word_typos(word: str) -> int:
    """Typos a word of the answer may carry: none in short words, where one changes the word."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


def _typos(words: list[str], phrase: tuple[str, ...]) -> int | None:
    """Edits between the words and a phrase, word by word; None when they are different words.

    A typo keeps the word's first letter ("yse", "kepe"): "five" is not "fine", "delete 2" is
    not "delete it".
    """
    if len(words) != len(phrase):
        return None
    total = 0
    for word, wanted in zip(words, phrase, strict=True):
        if word == wanted:
            continue
        most = _word_typos(wanted)
        if most == 0 or word[0] != wanted[0] or word in NUMBER_WORDS:
            return None
        distance = _distance(word, wanted, most)
        if distance > most:
            return None
        total += distance
    return total if total <= MOST_TYPOS else None


def _phrases(action: str | None) -> list[tuple[tuple[str, ...], bool]]:
    """The answers a card for `action` accepts, folded and split into words."""
    yes = YES + ACTION_YES.get(action or "", ())
    return [(tuple(_folded(p).split()), meaning) for ps, meaning in ((yes, True), (NO, False))
            for p in ps]  # fmt: skip


def _by_length(
    phrases: list[tuple[tuple[str, ...], bool]],
) -> dict[int, list[tuple[tuple[str, ...], bool]]]:
    """The phrases by their number of words: only those of a clause's length can match it."""
    grouped: dict[int, list[tuple[tuple[str, ...], bool]]] = {}
    for phrase, meaning in phrases:
        grouped.setdefault(len(phrase), []).append((phrase, meaning))
    return grouped


_PHRASES = {action: _by_length(_phrases(action)) for action in (None, *ACTION_YES)}
_FILLER = frozenset(_folded(word) for word in FILLER)


def _action_of(tool: str | None) -> str | None:
    """Which action words may approve a card of `tool`."""
    return next((action for action in ACTION_YES if tool and action in tool), None)


def _clause(words: list[str], action: str | None) -> bool | None:
    """True for a yes, False for a no, None for anything else; typos within reason."""
    if any(word.isdigit() or any(c.isdigit() for c in word) for word in words):
        return None
    best: tuple[int, bool] | None = None
    for phrase, meaning in _PHRASES[action].get(len(words), ()):
        typos = _typos(words, phrase)
        if typos is not None and (best is None or typos < best[0]):
            best = (typos, meaning)
    return None if best is None else best[1]


def read_answer(text: str, tool: str | None = None) -> bool | None:
    """Whether `text` answers the card of `tool`: True yes, False no, None not an answer.

    Every clause must agree ("no, keep them" is a no; "yes, and add milk" is not an answer).
    """
    action = _action_of(tool)
    folded = _folded(text)
    if not folded or len(folded.split()) > MOST_WORDS:
        return None
    meanings = set()
    for raw in _CLAUSES.split(folded):
        words = [word for word in raw.split() if word not in _FILLER]
        if not words:
            continue
        meaning = _clause(words, action)
        if meaning is None and len(words) > 1:
            # "yes do it", "no dont": the first word answers and the rest agrees.
            head = _clause(words[:1], action)
            meaning = head if head is not None and _clause(words[1:], action) is head else None
        if meaning is None:
            return None
        meanings.add(meaning)
    return meanings.pop() if len(meanings) == 1 else None


@dataclass(frozen=True)
class LateAnswer:
    """A yes or no typed after the card it answers expired: the reply says so."""

    question: str
    approved: bool

    def reply(self) -> str:
        if self.approved:
            return (
                f'The request "{self.question}" expired before your answer, so nothing was '
                "changed. Ask me again if you still want it."
            )
        return f'The request "{self.question}" had already expired, so nothing was changed.'
