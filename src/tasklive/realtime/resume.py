"""Resume positions sent by clients (`last_seq`, `Last-Event-ID`), read one way everywhere."""

from typing import Any

from tasklive.realtime.brokers.base import Position

MAX_SEQ = 2**63 - 1
UNRESUMABLE = Position("", -1)
"""A position no stream has: resuming from it answers `recovered: false` and starts from now."""


def parse_seq(value: Any) -> int | None:
    """A seq from plain ASCII digits (or a JSON integer) within 64 bits; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_SEQ else None
    if not isinstance(value, str) or not value or len(value) > 19:
        return None
    if not (value.isascii() and value.isdigit()):
        return None
    seq = int(value)
    return seq if seq <= MAX_SEQ else None


def parse_resume(last_seq: Any, epoch: Any) -> Position | None:
    """Where a client asks to resume: None when it did not ask, UNRESUMABLE when it asked badly."""
    if last_seq is None:
        return None
    seq = parse_seq(last_seq)
    if seq is None or not isinstance(epoch, str | None):
        return UNRESUMABLE
    return Position(epoch or "", seq)
