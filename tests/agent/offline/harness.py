"""A conversation with the offline model through the real agent and task tools on SQLite."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from pydantic_ai import AgentRunResultEvent
from pydantic_ai.messages import FunctionToolCallEvent, ModelResponse, ToolCallPart
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.agent.agent import build_agent
from tasklive.agent.context import AgentDeps
from tasklive.agent.offline import build_offline_model
from tasklive.agent.offline.run import OfflineAgent
from tasklive.auth.models import User
from tasklive.chat.models import Message
from tasklive.chat.turn import prompt_request, to_model_messages
from tasklive.tasks.models import Task
from tasklive.tasks.service import TaskService
from tasklive.tasks.toolkit import task_body

AGENT = build_agent(build_offline_model())
OFFLINE = OfflineAgent()


class OfflineChat:
    """One user's conversation, stored the way the runner stores it (text plus details).

    Turns run the way the product runs them (OfflineAgent); `via_agent` runs them through
    pydantic-ai's agent with the offline model instead, which must answer the same.
    """

    via_agent = False

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        user_id: str,
        now: datetime | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.user_id = user_id
        self.messages: list[Message] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.now = now  # the time each message is sent at (a minute later each turn); None: now

    @classmethod
    async def start(
        cls,
        sessionmaker: async_sessionmaker[AsyncSession],
        *titles: str,
        completed: tuple[int, ...] = (),
        timezone: str = "UTC",
        now: datetime | None = None,
    ) -> "OfflineChat":
        """A new user whose list holds `titles` (numbered from 1), in one transaction."""
        async with sessionmaker() as session:
            user = User(
                email=f"{uuid.uuid4().hex}@example.com",
                password_hash="x",
                last_task_number=len(titles),
                timezone=timezone,
            )
            session.add(user)
            await session.flush()
            session.add_all(
                Task(user_id=user.id, number=n, title=t, completed=n in completed)
                for n, t in enumerate(titles, start=1)
            )
            await session.commit()
            return cls(sessionmaker, user.id, now)

    def deps(self) -> AgentDeps:
        return AgentDeps(self.user_id, self.sessionmaker, "run", "conversation", now=self.now)

    async def say(self, text: str) -> str:
        """One turn, run like the runner runs it; returns the reply."""
        history = [*to_model_messages(self.messages), prompt_request(text, self.now)]
        if self.via_agent:
            reply, metadata = await self._through_agent(history)
        else:
            reply, metadata = await self._directly(history)
        self.messages += [
            Message(role="user", content=text, created_at=self.now),
            Message(role="assistant", content=reply, details={"model_metadata": metadata}),
        ]
        if self.now is not None:
            self.now += timedelta(minutes=1)
        return reply

    async def _directly(self, history: list[Any]) -> tuple[str, dict[str, Any] | None]:
        async def seen(event: Any) -> None:
            if isinstance(event, FunctionToolCallEvent):
                self.calls.append((event.part.tool_name, event.part.args_as_dict()))

        reply = await OFFLINE.run(history, self.deps(), seen)
        return reply.text, reply.metadata

    async def _through_agent(self, history: list[Any]) -> tuple[str, dict[str, Any] | None]:
        deps = self.deps()
        result = None
        async with AGENT.run_stream_events(None, message_history=history, deps=deps) as events:
            async for event in events:
                if isinstance(event, AgentRunResultEvent):
                    result = event.result
        assert result is not None
        for message in result.new_messages():
            if isinstance(message, ModelResponse):
                self.calls += [
                    (p.tool_name, p.args_as_dict())
                    for p in message.parts
                    if isinstance(p, ToolCallPart)
                ]
        return str(result.output), result.response.metadata

    async def tasks(self) -> list[dict[str, Any]]:
        async with self.sessionmaker() as session:
            items, _ = await TaskService(session, self.user_id).list(limit=200)
            return [
                {
                    "number": t.number,
                    "title": t.title,
                    "description": t.description,
                    "completed": t.completed,
                    **{
                        key: value
                        for key, value in task_body(t).items()
                        if key in ("due", "priority", "labels", "list", "recurrence", "remind_at")
                    },
                }
                for t in items
            ]

    async def titles(self) -> list[str]:
        return [task["title"] for task in await self.tasks()]

    async def state(self) -> dict[int, tuple[str, str, bool]]:
        """Every task as number -> (title, description, completed)."""
        return {
            t["number"]: (t["title"], t["description"], t["completed"]) for t in await self.tasks()
        }

    def tools(self, start: int = 0) -> list[str]:
        return [name for name, _ in self.calls[start:]]
