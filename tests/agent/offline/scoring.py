"""Scoring a phrasing table: each case judged right, asked or wrong, printed by kind."""

from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

Judge = Callable[[Any], Awaitable[tuple[str, str]]]


async def score_cases(cases: Iterable[Any], judge: Judge, width: int = 12) -> Counter[str]:
    """Judge every case (it has `kind` and `text`); prints a line per kind and every miss."""
    results: dict[str, Counter[str]] = {}
    misses: list[tuple[str, Any, str]] = []
    for case in cases:
        verdict, reply = await judge(case)
        results.setdefault(case.kind, Counter())[verdict] += 1
        if verdict != "right":
            misses.append((verdict, case, reply))
    total = Counter[str]()
    print()
    for kind, counts in [*results.items(), ("all", total)]:
        if kind != "all":
            total.update(counts)
        right, seen = counts["right"], sum(counts.values())
        share = f"{right:3}/{seen:3} = {right / seen:6.1%}"
        print(f"{kind:{width}} {share}  wrong writes {counts['wrong']}")
    for verdict, case, reply in misses:
        print(f"  {verdict}: {case.text!r} -> {reply[:160]!r}")
    return total


def share_right(total: Counter[str]) -> float:
    return total["right"] / sum(total.values())
