"""Runs still going: what a tab that joins mid-run needs to show the run in progress."""

from itertools import chain

from tasklive.realtime.brokers.base import Position, Published
from tasklive.realtime.events import AGENT_DONE, AGENT_THINKING

RECENT_EVENTS = 300
"""How far back a joining tab looks for runs in progress."""


def runs_in_progress(recent: list[Published], head: Position) -> list[Published]:
    """The events up to `head` of runs that began (`agent_thinking`) and have not ended."""
    runs: dict[str, list[Published]] = {}
    for published in recent:
        if published.epoch != head.epoch or published.seq > head.seq:
            continue
        event = published.envelope()
        run_id = event.get("run_id")
        if not run_id:
            continue
        if event.get("event_type") == AGENT_THINKING:
            runs[run_id] = [published]
        elif event.get("event_type") == AGENT_DONE:
            runs.pop(run_id, None)
        elif run_id in runs:
            runs[run_id].append(published)
    return sorted(chain.from_iterable(runs.values()), key=lambda published: published.seq)
