"""Chat fixtures shared with the agent tests."""

from tests.agent.fixtures import echo, recorder, runner

__all__ = ["echo", "recorder", "runner"]
