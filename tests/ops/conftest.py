"""The live in-process server fixtures of the realtime tests, for the operations tests."""

from tests.realtime.conftest import live, new_user

__all__ = ["live", "new_user"]
