"""A run this process is driving: its task, its turn slot, and how it is asked to stop."""

import asyncio

from tasklive.chat.admission import Slot
from tasklive.chat.execution import TurnExecution
from tasklive.chat.turn import Turn


class LocalRun:
    """A run this process is driving."""

    def __init__(self, execution: TurnExecution, turn: Turn) -> None:
        self.execution = execution
        self.turn = turn
        self.task: asyncio.Task[None] | None = None
        self.wake = asyncio.Event()
        self.claimed = False
        self.slot: Slot | None = None
        self.admitting = False
        self.started = False

    def cancel(self) -> bool:
        """Ask the run to stop; it ends with agent_done cancelled: true and a stored note."""
        if self.execution.finishing or self.task is None or self.task.done():
            return False
        if not self.execution.cancel_requested:
            self.execution.cancel_requested = True
            self.wake.set()
            if self.admitting or self.started:
                self.task.cancel()
        return True
