"""How long to wait before a request is tried again: doubling waits, or what the server asked."""

import math


def backoff_seconds(
    base: float, attempt: int, retry_after: float | None = None, most: float = math.inf
) -> float:
    """The wait after failed attempt `attempt` (1 is the first): `base` doubled for each attempt
    before it, at least a server's Retry-After, at most `most`."""
    wait = base * 2.0 ** (attempt - 1)
    if retry_after:
        wait = max(wait, retry_after)
    return min(wait, most)
