"""Issue 22's blind tables through the product: the share right per class and per half, the
wrong writes (how many damaged a title, how many touched a task nobody asked about), and the
median time per case.

    .venv/bin/python bench/bench_quickadd.py [--misses]
        [--half NAME]   (a table of tests/agent/offline/blind/tables.py: tune … tune7, held_out,
        fresh, blind2 … blind7)

`--misses` lists the misses of the tables tuned on (tune, tune2 … tune7); those of the
held-out half, the fresh batch and blind2 … blind7 stay hidden (so nobody tunes on them)
unless `--held-out-misses` is given, for whoever writes the tables.

Chat cases run through the real offline turn on a fresh SQLite database at their fixed message
time; add-box lines through `tasklive.tasks.quickadd.read` (scored as misses until it exists).
"""

import asyncio
import dataclasses
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.agent.offline.blind.judge import quick_reader, report, score, span_problem
from tests.agent.offline.blind.tables import HELD_OUT, TUNED

from tasklive.db import Base, create_engine, create_sessionmaker


async def main() -> None:
    halves = {**TUNED, **HELD_OUT}
    if "--half" in sys.argv:
        wanted = sys.argv[sys.argv.index("--half") + 1]
        halves = {wanted: halves[wanted]}
    print("quick-add reader:", "present" if quick_reader() else "missing (box lines are misses)")
    with tempfile.TemporaryDirectory() as directory:
        engine = create_engine(f"sqlite+aiosqlite:///{directory}/blind.db")
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        maker = create_sessionmaker(engine)
        chat_times, box_times = [], []
        read = quick_reader()
        for name, cases in halves.items():
            shown = "--misses" in sys.argv and (name in TUNED or "--held-out-misses" in sys.argv)
            tallies, seconds = await score(maker, cases)
            report(name, tallies, misses=shown)
            for case, took in zip(cases, seconds, strict=True):
                (box_times if case.box else chat_times).append(took)
            # The same add-box lines typed into chat, which reads them with the same reader.
            in_chat = [
                dataclasses.replace(case, box=False, kind="box→chat") for case in cases if case.box
            ]
            tallies, _ = await score(maker, in_chat)
            report(f"{name}: add-box lines sent to chat", tallies, misses=shown)
            if read is not None:
                problems = [(c.text, p) for c in cases if c.box and (p := span_problem(read, c))]
                box_lines = sum(case.box for case in cases)
                print(f"  spans off on {len(problems)} of {box_lines} add-box lines")
                for text, problem in problems if shown else ():
                    print(f"    {text!r}: {problem}")
        await engine.dispose()
    if chat_times:
        median = statistics.median(chat_times) * 1000
        print(f"\nmedian per chat case (seed + turns)  {median:7.2f} ms")
    if box_times:
        median = statistics.median(box_times) * 1000
        print(f"median per add-box line (read)       {median:7.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
