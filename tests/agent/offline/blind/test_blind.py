"""The blind tables of issue 22 through the product: chat cases through the real offline turn at
their fixed message time, add-box lines through the quick-add reader; scored by the rows left.

Floors are what main scored when they were last raised: cases right may only go up, wrong writes
only down. `bench/bench_quickadd.py` prints the same per class with timings.
"""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.agent.offline.blind.cases import CLOCKS, Case, OneOf
from tests.agent.offline.blind.judge import (
    EMPTY,
    moment,
    quick_reader,
    report,
    row_matches,
    score,
    span_problem,
)
from tests.agent.offline.blind.tables import HELD_OUT, TUNED

# Raised as main scored them at each landing (issue 22): tune, tune2 … tune11 are tuned on;
# held_out, fresh, blind2 … blind11 never are, and only their totals are ever printed.
FLOOR = {"tune": 221, "held_out": 210, "fresh": 70, "tune2": 243, "blind2": 164, "tune3": 233,
         "blind3": 155, "tune4": 235, "blind4": 173, "tune5": 242, "blind5": 183, "tune6": 234,
         "blind6": 169, "tune7": 211, "blind7": 166, "tune8": 191, "blind8": 151, "tune9": 209,
         "blind9": 165, "tune10": 186, "blind10": 139, "tune11": 206, "blind11": 158}  # fmt: skip
MOST_WRONG = {"tune": 0, "held_out": 4, "fresh": 1, "tune2": 0, "blind2": 2, "tune3": 0,
              "blind3": 3, "tune4": 0, "blind4": 8, "tune5": 0, "blind5": 4, "tune6": 0,
              "blind6": 9, "tune7": 0, "blind7": 4, "tune8": 0, "blind8": 2, "tune9": 1,
              "blind9": 8, "tune10": 1, "blind10": 7, "tune11": 1, "blind11": 7}  # fmt: skip


@pytest.mark.parametrize("name", list(TUNED))
async def test_tuned_table(sessionmaker: async_sessionmaker[AsyncSession], name: str) -> None:
    """A table the parser is tuned on; its misses are printed."""
    tallies, _ = await score(sessionmaker, TUNED[name])
    total = report(name, tallies)
    assert total.right >= FLOOR[name]
    assert total.wrong <= MOST_WRONG[name]


@pytest.mark.parametrize("name", list(HELD_OUT))
async def test_held_out_table(sessionmaker: async_sessionmaker[AsyncSession], name: str) -> None:
    """A table nobody tunes on: reported as it is, its phrasings out of sight."""
    tallies, _ = await score(sessionmaker, HELD_OUT[name])
    total = report(name, tallies, misses=False)
    right, wrong = total.right, total.wrong  # plain numbers: a failure shows no case
    assert right >= FLOOR[name]
    assert wrong <= MOST_WRONG[name]


def values(case: Case) -> list[tuple[str, Any]]:
    found = []
    for outcome in case.expect:
        for key, value in outcome.items():
            rows = value if key == "add" else [value] if isinstance(value, dict) else []
            for row in rows:
                for name, wanted in row.items():
                    options = wanted if isinstance(wanted, OneOf) else (wanted,)
                    found += [(name, option) for option in options]
    return found


def test_cases_are_well_formed() -> None:
    """Every case has a known clock and class and readable times; the halves share classes."""
    cases = [case for table in (*TUNED.values(), *HELD_OUT.values()) for case in table]
    assert len(cases) >= 300
    pairs = {"tune": "held_out", "tune2": "blind2", "tune3": "blind3", "tune4": "blind4",
             "tune5": "blind5", "tune6": "blind6", "tune7": "blind7", "tune8": "blind8",
             "tune9": "blind9", "tune10": "blind10", "tune11": "blind11"}  # fmt: skip
    assert all(len(TUNED[t]) >= 190 and len(HELD_OUT[h]) >= 140 for t, h in pairs.items())
    assert len({(case.before, case.text) for case in cases}) == len(cases)
    for case in cases:
        zone = ZoneInfo(CLOCKS[case.clock].zone)
        assert case.expect and case.text
        assert not case.box or len(case.expect) == 1
        for name, value in values(case):
            if name in ("due", "remind_at") and value is not None:
                assert moment(value, zone) is not None
    for tuned, held_out in pairs.items():  # dropping repeated texts may empty a tiny class
        kinds = {case.kind for case in TUNED[tuned]} & {case.kind for case in HELD_OUT[held_out]}
        assert len(kinds) >= 10


def test_spans_of_add_box_lines() -> None:
    """The spans the page highlights stay in the text, never overlap and never cover a word
    the title keeps."""
    read = quick_reader()
    assert read is not None
    problems = [
        (case.text, problem)
        for table in (*TUNED.values(), *HELD_OUT.values())
        for case in table
        if case.box and (problem := span_problem(read, case))
    ]
    assert problems == []


def test_a_repeat_said_without_a_day_may_start_on_its_first_occurrence() -> None:
    """The judge's one allowance: "every three weeks" needs a due to step from."""
    zone, today = ZoneInfo("Europe/Berlin"), date(2027, 3, 25)
    want = {"title": "clean the tank", "recurrence": "FREQ=WEEKLY;INTERVAL=3"}
    row = {**EMPTY, **want}
    assert row_matches(want, {**row, "due": date(2027, 3, 25)}, zone, today)
    assert row_matches(want, {**row, "due": None}, zone, today)
    assert not row_matches(want, {**row, "due": date(2027, 5, 1)}, zone, today)
    assert not row_matches(want, {**row, "due": date(2027, 3, 25)}, zone)
