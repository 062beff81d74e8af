"""Chat fixtures shared with the agent tests, and the realtime tests' fresh Redis prefix."""

from tests.agent.fixtures import echo, recorder, runner
from tests.realtime.conftest import redis_broker_url

__all__ = ["echo", "recorder", "redis_broker_url", "runner"]
