"""Every blind table of issue 22 by name: those the parser is tuned on, and those it never is."""

from tests.agent.offline.blind import (
    blind2,
    blind3,
    blind4,
    blind5,
    blind6,
    blind7,
    blind8,
    blind9,
    fresh,
    held_out,
    tune,
    tune2,
    tune3,
    tune4,
    tune5,
    tune6,
    tune7,
    tune8,
    tune9,
)
from tests.agent.offline.blind.cases import Case

TUNED: dict[str, list[Case]] = {
    "tune": tune.CASES,
    "tune2": tune2.CASES,
    "tune3": tune3.CASES,
    "tune4": tune4.CASES,
    "tune5": tune5.CASES,
    "tune6": tune6.CASES,
    "tune7": tune7.CASES,
    "tune8": tune8.CASES,
    "tune9": tune9.CASES,
}
HELD_OUT: dict[str, list[Case]] = {
    "held_out": held_out.CASES,
    "fresh": fresh.CASES,
    "blind2": blind2.CASES,
    "blind3": blind3.CASES,
    "blind4": blind4.CASES,
    "blind5": blind5.CASES,
    "blind6": blind6.CASES,
    "blind7": blind7.CASES,
    "blind8": blind8.CASES,
    "blind9": blind9.CASES,
}
