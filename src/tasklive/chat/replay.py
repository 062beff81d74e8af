"""Turns this process does not drive: a finished one's stored result, or following one by its
stored state while another process drives it."""

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.chat import runs
from tasklive.chat.outcomes import UNFINISHED, TurnOutcome, TurnResult
from tasklive.chat.runs import RunRef
from tasklive.chat.store import ConversationStore
from tasklive.chat.turn import Turn, stored_result

FOLLOW_POLL_SECONDS = 0.25


class Replays:
    """Results of runs found in the database, and the tasks that follow runs elsewhere."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker
        self._followers: set[asyncio.Task[None]] = set()

    async def finished_elsewhere(self, run: RunRef) -> TurnResult:
        """The result of a run someone else finished (or that went with its conversation)."""
        try:
            async with self.sessionmaker() as session:
                reply = await ConversationStore(session, run.user_id).reply_for_run(run.id)
                await session.commit()
        except Exception:
            reply = None
        if reply is not None:
            return stored_result(reply)
        ids = {"conversation_id": run.conversation_id, "run_id": run.id}
        return TurnResult(TurnOutcome.INTERRUPTED, {**ids, "user_message_id": run.message_id})

    def follow(self, turn: Turn, user_id: str) -> None:
        """Wait for a run another process is driving, by its stored state."""

        async def follow() -> None:
            while not turn.done():
                async with self.sessionmaker() as session:
                    run = await runs.get(session, user_id, turn.run_id)
                    reply = await ConversationStore(session, user_id).reply_for_run(turn.run_id)
                    await session.commit()
                if run is None or (run.status not in UNFINISHED and reply is not None):
                    if reply is not None:
                        turn.finish(stored_result(reply))
                    return
                await asyncio.sleep(FOLLOW_POLL_SECONDS)

        follower = asyncio.create_task(follow())
        self._followers.add(follower)
        follower.add_done_callback(self._followers.discard)

    async def aclose(self) -> None:
        """Stop following."""
        for follower in self._followers:
            follower.cancel()
        await asyncio.gather(*self._followers, return_exceptions=True)
