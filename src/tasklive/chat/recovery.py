"""Keeping this instance's leases alive, and finishing runs whose owner is gone as interrupted."""

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from tasklive.agent.translate import RunTranslator
from tasklive.chat import runs
from tasklive.chat.environment import TurnEnvironment, publish_all
from tasklive.chat.models import Run
from tasklive.chat.outcomes import NOTES, STOPPED, TurnOutcome
from tasklive.chat.runs import RunRef
from tasklive.db import new_id, utcnow

log = logging.getLogger(__name__)

RECENT_EVENTS = 500


class RunKeeper:
    """Renews this owner's leases, relays durable cancels, and sweeps expired runs."""

    def __init__(
        self,
        env: TurnEnvironment,
        instance_id: str,
        lease: timedelta,
        cancel_local: Callable[[str], bool],
        driving: Callable[[], Collection[str]] = tuple,
    ) -> None:
        self.env = env
        self.instance_id = instance_id
        self.lease = lease
        self.cancel_local = cancel_local
        self.driving = driving
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run the keeper loop in the background (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._keep(), name="run-keeper")

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def recover(self) -> int:
        """At start-up: finish this instance's leftovers from before a restart, then sweep."""
        async with self.env.sessionmaker() as session:
            left = await runs.leftovers(session, self.instance_id, self.env.owner)
            for run in left:
                await runs.expire_now(session, run.id)
        if left:
            log.info("finishing %d runs left by an earlier process", len(left))
        return await self.sweep()

    async def sweep(self) -> int:
        """Finish every run whose lease has run out as interrupted; returns how many."""
        now = utcnow()
        async with self.env.sessionmaker() as session:
            stale = await runs.expired(session, now)
        finished = 0
        for run in stale:
            if await self._interrupt(run, now):
                finished += 1
        return finished

    async def _interrupt(self, run: Run, now: datetime) -> bool:
        ref = RunRef.of(run)
        translator = RunTranslator(ref.id, ref.conversation_id)
        note = NOTES[TurnOutcome.INTERRUPTED]
        reply_id = new_id()
        body = {
            "response": note,
            "conversation_id": ref.conversation_id,
            "message_id": reply_id,
            "user_message_id": ref.message_id,
            "run_id": ref.id,
            "tasks": [],
            "tool_calls": [],
            "cancelled": False,
        }
        details = {"result": body, "outcome": TurnOutcome.INTERRUPTED.value, "error": note}
        async with self.env.sessionmaker() as session:
            finished = await runs.finish(
                session, ref, TurnOutcome.INTERRUPTED, note, details, reply_id, expired_before=now
            )
        if not finished:
            return False
        log.warning("run %s was interrupted (its owner %s is gone)", ref.id, run.owner)
        try:
            translator.replay(await self.env.publisher.recent_events(ref.user_id, RECENT_EVENTS))
        except Exception:
            log.warning("could not read the events of run %s", ref.id, exc_info=True)
        events = [] if translator.started or run.started_at is not None else [translator.thinking()]
        events += translator.close_open_calls(STOPPED)
        events.append(translator.done(note, error=note))
        await publish_all(self.env.publisher, ref.user_id, events)
        return True

    async def _keep(self) -> None:
        settings = self.env.settings
        since_sweep = 0.0
        while True:
            await asyncio.sleep(settings.run_renew_seconds)
            since_sweep += settings.run_renew_seconds
            try:
                async with self.env.sessionmaker() as session:
                    cancelling = await runs.renew(
                        session, self.env.owner, self.lease, self.driving()
                    )
                for run_id in cancelling:
                    self.cancel_local(run_id)
                if since_sweep >= settings.run_sweep_seconds:
                    since_sweep = 0.0
                    await self.sweep()
            except Exception:
                log.warning("could not renew run leases", exc_info=True)
