"""Chat fixtures shared with the agent tests."""

from tests.agent.fixtures import echo, openai_server, recorder, runner

__all__ = ["echo", "openai_server", "recorder", "runner"]
