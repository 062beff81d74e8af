"""Prints task create/list throughput and latency on an in-process app (SQLite by default)."""

import argparse
import asyncio
import statistics
import time

from _setup import signed_in


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def main(database_url: str | None, count: int, concurrency: int) -> None:
    async with signed_in(database_url) as bench:
        http, headers = bench.http, bench.headers
        gate = asyncio.Semaphore(concurrency)
        latencies: list[float] = []

        async def create(i: int) -> None:
            async with gate:
                started = time.perf_counter()
                await http.post("/api/tasks", json={"title": f"task {i}"}, headers=headers)
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(create(i) for i in range(count)))
        elapsed = time.perf_counter() - started
        p50 = statistics.median(latencies) * 1000
        p95 = percentile(latencies, 0.95) * 1000
        print(
            f"create: {count / elapsed:.0f} tasks/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms "
            f"(concurrency {concurrency})"
        )
        started = time.perf_counter()
        for _ in range(50):
            await http.get("/api/tasks", params={"limit": 50}, headers=headers)
        print(f"list 50 of {count}: {(time.perf_counter() - started) / 50 * 1000:.1f} ms each")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.database_url, args.count, args.concurrency))
