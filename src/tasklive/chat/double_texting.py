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
    "delete them",
    "delete them all",
    "delete all",
    "delete it",
    "clear them",
    "clear them all",
    "complete them",
    "complete them all",
    "complete all",
    "mark them",
    "mark them all",
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


def _allowed_typos(phrase: str) -> int:
    return 0 if len(phrase) <= 2 else 1 if len(phrase) <= 6 else 2


def _deletions(text: str, most: int) -> set[str]:
    """`text` with up to `most` letters left out, itself included."""
    found, edge = {text}, {text}
    for _ in range(most):
        edge = {word[:i] + word[i + 1 :] for word in edge for i in range(len(word))}
        found |= edge
    return found


def _index() -> dict[str, list[tuple[str, bool]]]:
    """Every phrase under each of its deletions: two texts within k edits share a deletion."""
    index: dict[str, list[tuple[str, bool]]] = {}
    for phrases, meaning in ((YES, True), (NO, False)):
        for phrase in phrases:
            folded = _folded(phrase)
            for variant in _deletions(folded, _allowed_typos(folded)):
                index.setdefault(variant, []).append((folded, meaning))
    return index


_INDEX = _index()
_LONGEST = max(len(_folded(phrase)) for phrase in (*YES, *NO)) + 2
_FILLER = frozenset(_folded(word) for word in FILLER)


def _clause(clause: str) -> bool | None:
    """True for a yes, False for a no, None for anything else; typos within reason."""
    if len(clause) > _LONGEST:
        return None
    best: tuple[int, bool] | None = None
    for variant in _deletions(clause, 1 if len(clause) <= 6 else 2):
        for phrase, meaning in _INDEX.get(variant, ()):
            most = _allowed_typos(phrase)
            distance = 0 if phrase == clause else _distance(clause, phrase, most)
            if distance <= most and (best is None or distance < best[0]):
                best = (distance, meaning)
    return None if best is None else best[1]


def read_answer(text: str) -> bool | None:
    """Whether `text` answers a yes/no question: True yes, False no, None not an answer.

    Every clause must agree ("no, keep them" is a no; "yes, and add milk" is not an answer).
    """
    folded = _folded(text)
    if not folded or len(folded.split()) > MOST_WORDS:
        return None
    meanings = set()
    for raw in _CLAUSES.split(folded):
        words = [word for word in raw.split() if word not in _FILLER]
        if not words:
            continue
        meaning = _clause(" ".join(words))
        if meaning is None and len(words) > 1:
            # "yes do it", "no dont": the first word answers and the rest agrees.
            head = _clause(words[0])
            meaning = head if head is not None and _clause(" ".join(words[1:])) is head else None
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
