"""What dates cost the offline model: import, the first turn (dateparser's English data loads
then), and a warm turn. Prints figures; run it on a checkout without dates to compare.

    .venv/bin/python bench/bench_offline_dates.py [--built]

Without --built, dateparser loads during the first dated turn; with it, in the thread the model
starts when it is built (as the server does at start).
"""

import statistics
import sys
import time
from datetime import UTC, datetime

PHRASES = (
    "add call mom tomorrow at 5pm",
    "remind me to pay rent on friday",
    "add buy milk",
    "move task 3 to next friday",
    "mark task 2 done",
    "add water the plants every monday #home",
)


def main() -> None:
    started = time.perf_counter()
    from pydantic_ai.messages import ModelRequest, UserPromptPart

    from tasklive.agent.offline.model import decide, read_turn

    imported = time.perf_counter() - started

    def turn(text: str) -> float:
        prompt = UserPromptPart(text, timestamp=datetime(2026, 10, 23, 8, tzinfo=UTC))
        request = ModelRequest(
            parts=[prompt],
            instructions="The user's time zone is Europe/Berlin; now is 2026-10-23T10:00:00+02:00.",
        )
        began = time.perf_counter()
        decide(read_turn([request]))
        return time.perf_counter() - began

    if "--built" in sys.argv:  # as the server runs: the model is built at start, a while before
        from tasklive.agent.offline import build_offline_model

        build_offline_model()
        time.sleep(3)
    first = turn(PHRASES[0])
    warm = [turn(text) for _ in range(50) for text in PHRASES]
    print(f"import of the offline model   {imported * 1000:8.1f} ms")
    print(f"first turn with a date        {first * 1000:8.1f} ms")
    print(f"warm turn, median             {statistics.median(warm) * 1000:8.2f} ms")
    print(f"warm turn, 95th percentile    {sorted(warm)[int(len(warm) * 0.95)] * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
