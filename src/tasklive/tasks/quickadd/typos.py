"""Date and repeat words as people mistype them: "fridy", "evrey", "febuary", "prioirty".

The variants are made from the right words when the module loads: one letter left out of the
middle, two letters side by side swapped, one letter doubled, and a few short forms ("nxt").
The patterns match a word or its variants where the word is, so a span stays the text as typed;
`canon` gives the words meant before anything reads their meaning (dateparser included).

Short words ("may", "march", "sat", "wed") get no variants: theirs are words of their own.
"""

import re

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LONG_MONTHS = ("january", "february", "april", "august", "september", "october", "november",
               "december")  # fmt: skip
WORDS = (*WEEKDAYS, *LONG_MONTHS, "tomorrow", "tonight", "every", "weekend", "weekly",
         "monthly", "daily", "morning", "afternoon", "evening", "priority", "reminder")  # fmt: skip
# Short forms, and a misspelling further off than one slip ("wensday").
MORE = {"nxt": "next", "nex": "next", "mnth": "month",
        "wknd": "weekend", "wkly": "weekly", "wensday": "wednesday",
        "wendsday": "wednesday", "janurary": "january", "feburary": "february",
        "tmrow": "tomorrow", "tmrrw": "tomorrow", "2morrow": "tomorrow", "tody": "today",
        "2day": "today", "tdy": "today"}  # fmt: skip
# German day words, for people who type in both ("Zahnarzt Freitag 10:30"); not "morgen": it is
# "morning" too, and a name
GERMAN = {"montag": "monday", "dienstag": "tuesday", "mittwoch": "wednesday",
          "mitwoch": "wednesday", "donnerstag": "thursday", "freitag": "friday",
          "samstag": "saturday", "sonnabend": "saturday", "sonntag": "sunday",
          "heute": "today", "übermorgen": "the day after tomorrow"}  # fmt: skip
# Variants that are words or names of their own stay what they are ("eery", "aril", "Daly"),
# and so do those a slip away from another word ("monay": money, "daiy": dairy) or another day
# ("tursday": tuesday or thursday).
NOT_TYPOS = frozenset({"agust", "aril", "daiy", "daly", "dily", "eery", "evey", "monay",
                       "sunay", "tursday", "veery", "weely"})  # fmt: skip


def variants(word: str) -> set[str]:
    """The slips of one keystroke: a middle letter left out, two swapped, one doubled."""
    found = {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)}
    found |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    found |= {word[: i + 1] + word[i:] for i in range(len(word))}
    return found - {word}


def _table() -> dict[str, str]:
    meant: dict[str, set[str]] = {}
    for word in WORDS:
        for variant in variants(word):
            meant.setdefault(variant, set()).add(word)
    table = {
        variant: words.pop()
        for variant, words in meant.items()
        if len(words) == 1 and variant not in NOT_TYPOS and variant not in WORDS
    }
    return table | MORE | GERMAN


TYPOS = _table()
"""Each mistyped word and the word it means."""


Tree = dict[str, "Tree"]


def trie(words: list[str] | set[str] | tuple[str, ...]) -> str:
    """A pattern matching any of `words`, longest first, sharing their common beginnings (many
    variants as one flat alternation make every search slow)."""
    tree: Tree = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return f"(?:{_branch(tree)})"


def _branch(node: "Tree") -> str:
    ends = "" in node
    parts = [re.escape(char) + _branch(rest) for char, rest in sorted(node.items()) if char]
    if not parts:
        return ""
    inner = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{inner})?" if ends else inner


def spelled(*words: str) -> str:
    """A pattern for the words as typed right or wrong: `spelled("friday")` matches "fridy"."""
    return trie({*words, *typos_of(*words)})


def typos_of(*words: str) -> dict[str, str]:
    """The mistyped forms of `words`, each with the word it means."""
    return {typo: word for typo, word in TYPOS.items() if word in words}


WORD = re.compile(r"[a-zäöüß]+", re.I)


def _meant(match: re.Match[str]) -> str:
    low = match.group().lower()
    if low in TYPOS:
        return TYPOS[low]
    if low.endswith("s") and low[:-1] in TYPOS:  # "sundys"
        return TYPOS[low[:-1]] + "s"
    return match.group()


def canon(text: str) -> str:
    """`text` with each mistyped date or repeat word written as the word it means."""
    return WORD.sub(_meant, text)
