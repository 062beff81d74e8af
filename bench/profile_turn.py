"""One offline chat turn after another, in-process, to see what a single turn costs.

    .venv/bin/python bench/profile_turn.py --backend postgres --turns 300 [--cprofile out.prof]

Prints milliseconds of CPU per turn (sequential, so there is no queueing in the figure) and,
with --cprofile, writes a profile of the measured turns and prints Python calls per turn, a
figure that stays put on a busy machine where times do not.
"""

import argparse
import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from turns_server import drop_postgres, scratch_postgres  # noqa: E402

from tasklive.app import create_app  # noqa: E402
from tasklive.config import Settings  # noqa: E402
from tasklive.services import services_of  # noqa: E402


async def turns(
    database_url: str, data_dir: str, count: int, profile: str | None, show_statements: bool
) -> None:
    settings = Settings(
        _env_file=None,
        data_dir=Path(data_dir),
        database_url=database_url,
        secret_key="profile-" + "x" * 40,
        daily_message_limit=1_000_000,
    )
    app = create_app(settings)
    statements: Counter[str] = Counter()
    async with app.router.lifespan_context(app):
        engine = services_of(app).engine

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            statements[" ".join(statement.split())[:90]] += 1

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            body = {"email": "p@example.com", "password": "profile pw"}
            signed = (await http.post("/api/auth/sign-up", json=body)).json()
            http.cookies.clear()
            user = signed["user"]["id"]
            headers = {"Authorization": f"Bearer {signed['access_token']}"}

            async def one(index: int, conversation: str | None) -> str:
                message = {"message": f"add a task to check item {index}"}
                if conversation:
                    message["conversation_id"] = conversation
                response = await http.post(f"/api/{user}/chat", json=message, headers=headers)
                assert response.status_code == 200, response.text
                return response.json()["conversation_id"]

            conversation = None
            for index in range(20):
                conversation = await one(index, conversation if index % 5 else None)
            profiler = cProfile.Profile() if profile else None
            cpu, wall = time.process_time(), time.perf_counter()
            statements.clear()
            if profiler:
                profiler.enable()
            for index in range(count):
                conversation = await one(index, conversation if index % 5 else None)
            if profiler:
                profiler.disable()
                profiler.dump_stats(profile)
                calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
                print(f"{calls / count:,.0f} Python calls per turn (steadier than time)")
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if show_statements:
        for text, times in statements.most_common():
            print(f"{times / count:6.2f}/turn  {text}")
    print(f"{sum(statements.values()) / count:.1f} statements per turn")
    print(
        f"{count} turns: {1000 * cpu / count:.2f} ms CPU/turn, "
        f"{1000 * wall / count:.2f} ms wall/turn"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="postgres", choices=["sqlite", "postgres"])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--cprofile")
    parser.add_argument("--statements", action="store_true", help="print SQL statements per turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        if args.backend == "postgres":
            url = await scratch_postgres()
        else:
            url = f"sqlite+aiosqlite:///{data_dir}/profile.db"
        try:
            await turns(url, data_dir, args.turns, args.cprofile, args.statements)
        finally:
            if args.backend == "postgres":
                await drop_postgres(url)


if __name__ == "__main__":
    asyncio.run(main())
