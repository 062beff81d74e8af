"""Event brokers: memory (one process) and Redis (several)."""

from tasklive.config import Settings
from tasklive.errors import InvalidInputError
from tasklive.realtime.brokers.base import Broker, BrokerUnavailableError, Position, Published


def create_broker(url: str, settings: Settings, prefix: str | None = None) -> Broker:
    """The broker for `memory://` or `redis://host:port/db[?prefix=name]` (also `rediss://`)."""
    size, seconds = settings.event_history_size, settings.event_history_seconds
    if url.startswith("memory://"):
        from tasklive.realtime.brokers.memory import MemoryBroker

        return MemoryBroker(size, seconds)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from tasklive.realtime.brokers.redis import RedisBroker

        return RedisBroker(url, size, seconds, prefix=prefix)
    scheme = url.split(":", 1)[0]
    raise InvalidInputError(
        f"TASKLIVE_BROKER_URL scheme {scheme!r} is unknown: use memory:// or redis://"
    )


__all__ = ["Broker", "BrokerUnavailableError", "Position", "Published", "create_broker"]
