"""Prints the time of one chat turn (offline model) in a short and a 10,000-message conversation."""

import argparse
import asyncio
import statistics
import time
from datetime import timedelta

from _setup import signed_in
from sqlalchemy import insert
from tests.support.apps import services_of

from tasklive.chat.models import Message
from tasklive.db import new_id, utcnow


async def fill(app, user_id: str, conversation_id: str, count: int) -> None:
    """Add `count` older messages to a conversation in bulk."""
    start = utcnow() - timedelta(days=1)
    rows = [
        {
            "id": new_id(),
            "conversation_id": conversation_id,
            "user_id": user_id,
            "role": "user" if n % 2 == 0 else "assistant",
            "content": f"filler message {n}",
            "created_at": start + timedelta(milliseconds=n),
        }
        for n in range(count)
    ]
    async with services_of(app).sessionmaker() as session:
        await session.execute(insert(Message), rows)
        await session.commit()


async def main(database_url: str | None, filler: int, turns: int) -> None:
    async with signed_in(database_url) as bench:
        app, http, uid, headers = bench.app, bench.http, bench.user_id, bench.headers

        async def conversation(extra: int) -> str:
            first = await http.post(
                f"/api/{uid}/chat", json={"message": "What are my tasks?"}, headers=headers
            )
            conversation_id = first.json()["conversation_id"]
            if extra:
                await fill(app, uid, conversation_id, extra)
            return conversation_id

        for label, extra in (("short", 0), (f"{filler:,} messages", filler)):
            conversation_id = await conversation(extra)
            samples = []
            for _ in range(turns):
                started = time.perf_counter()
                response = await http.post(
                    f"/api/{uid}/chat",
                    json={
                        "message": "How many tasks do I have?",
                        "conversation_id": conversation_id,
                    },
                    headers=headers,
                )
                samples.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text
            print(
                f"{label}: median turn {statistics.median(samples) * 1000:.1f} ms "
                f"over {turns} turns"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--filler", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.database_url, args.filler, args.turns))
