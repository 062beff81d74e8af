"""What every turn of one runner shares, and publishing a turn's events."""

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.config import Settings
from tasklive.realtime.events import EventPublisher

log = logging.getLogger("tasklive.chat.execution")


@dataclass(frozen=True)
class TurnEnvironment:
    """What every turn of one runner shares."""

    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    publisher: EventPublisher
    owner: str


async def publish_all(
    publisher: EventPublisher, user_id: str, events: list[dict[str, Any]]
) -> None:
    """Publish events in order; a failed publish is logged, never raised into the turn."""
    for event in events:
        try:
            await publisher.publish(user_id, event)
        except Exception:
            log.exception("could not publish a %s event", event.get("event_type"))
