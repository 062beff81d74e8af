"""Prints how 10,000 reminders due in the same minute reach 1,000 users with 2 push subscriptions
each: time from the due moment until the last push is delivered, deliveries per second, and
duplicates (must be 0).

Three processes on 127.0.0.1: `tasklive serve` (SQLite in a temporary dir unless --database-url),
and a push endpoint recorder (tests/support/push_service.py) that verifies every VAPID JWT and
decrypts every message with the subscription's own key, as a push service and browser would.
The accounts, tasks and subscriptions are written straight into the database first.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select

from tasklive.auth.models import User
from tasklive.db import create_engine, create_sessionmaker, new_id, upgrade_schema, utcnow
from tasklive.tasks.models import Task
from tasklive.tasks.notify.models import PushSubscription, ReminderDelivery
from tasklive.tasks.notify.subscriptions import digest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.service import ServiceProcess, free_port  # noqa: E402


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def seed(url: str, subs: list[dict], users: int, reminders: int, due) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(url)
    await upgrade_schema(engine)
    now = utcnow()
    user_ids = [new_id() for _ in range(users)]
    per_user = reminders // users
    async with create_sessionmaker(engine)() as session:
        await session.execute(
            insert(User),
            [
                {"id": uid, "email": f"bench{i}@example.com", "password_hash": "x",
                 "last_task_number": per_user, "timezone": "UTC", "created_at": now}
                for i, uid in enumerate(user_ids)
            ],
        )  # fmt: skip
        await session.execute(
            insert(Task),
            [
                {"id": new_id(), "user_id": uid, "number": n + 1, "title": f"thing {n + 1}",
                 "description": "", "completed": False, "labels": [], "reminder_sent": False,
                 "remind_time": due, "remind_offset": 0, "created_at": now, "updated_at": now}
                for uid in user_ids
                for n in range(per_user)
            ],
        )  # fmt: skip
        per_sub = len(subs) // users
        await session.execute(
            insert(PushSubscription),
            [
                {"id": new_id(), "user_id": user_ids[i // per_sub], "endpoint": s["endpoint"],
                 "endpoint_hash": digest(s["endpoint"]), "p256dh": s["keys"]["p256dh"],
                 "auth": s["keys"]["auth"], "user_agent": "bench",
                 "credential_hash": digest(new_id()), "created_at": now}
                for i, s in enumerate(subs)
            ],
        )  # fmt: skip
        await session.commit()
    await engine.dispose()


async def recorded(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        sent = await session.scalar(select(func.count()).where(Task.reminder_sent.is_(True)))
        rows = await session.scalar(select(func.count()).where(ReminderDelivery.status == "sent"))
    await engine.dispose()
    return sent or 0, rows or 0


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        url = args.database_url or f"sqlite+aiosqlite:///{data_dir / 'tasklive.db'}"
        port = free_port()
        recorder = subprocess.Popen(  # noqa: ASYNC220 (once, before measuring)
            [sys.executable, "-m", "tests.support.push_service", "--port", str(port)], cwd=ROOT
        )
        base = f"http://127.0.0.1:{port}"
        service = None
        try:
            async with httpx.AsyncClient(base_url=base, timeout=60) as http:
                for _ in range(100):
                    try:
                        await http.get("/stats")
                        break
                    except httpx.HTTPError:
                        await asyncio.sleep(0.1)
                count = args.users * args.subscriptions
                subs = (await http.post(f"/subscribe?count={count}")).json()
                due = utcnow() + timedelta(seconds=args.lead)
                await seed(url, subs, args.users, args.reminders, due)
                env = {
                    "TASKLIVE_DATA_DIR": str(data_dir),
                    "TASKLIVE_DATABASE_URL": url,
                    "TASKLIVE_BROKER_URL": args.broker_url,
                    "TASKLIVE_SECRET_KEY": "bench-secret-key-0123456789abcdef0123",
                    "TASKLIVE_PUSH_ALLOW_HTTP": "true",
                }
                service = ServiceProcess(env, log_path=data_dir / "service.log")
                await asyncio.to_thread(service.start)
                assert service.process is not None
                server_cpu = cpu_seconds(service.process.pid)
                recorder_cpu = cpu_seconds(recorder.pid)
                expected = args.reminders * args.subscriptions
                deadline = time.time() + args.lead + args.timeout
                while time.time() < deadline:
                    stats = (await http.get("/stats")).json()
                    if stats["delivered"] >= expected:
                        break
                    await asyncio.sleep(0.5)
                await asyncio.sleep(2)  # let stragglers (duplicates) show
                stats = (await http.get("/stats")).json()
                server_cpu = cpu_seconds(service.process.pid) - server_cpu
                recorder_cpu = cpu_seconds(recorder.pid) - recorder_cpu
        finally:
            if service is not None:
                service.stop()
                if args.show_log:
                    print((data_dir / "service.log").read_text()[-args.show_log :])
            recorder.terminate()
            recorder.wait()
        sent, rows = await recorded(url)
    due_at = due.timestamp()
    spread = (stats["last_at"] or due_at) - (stats["first_at"] or due_at)
    print(json.dumps({"database": url.split(":", 1)[0], **stats}))
    print(
        f"{args.reminders:,} reminders x {args.subscriptions} subscriptions "
        f"({args.users:,} users): {stats['delivered']:,}/{expected:,} pushes delivered, "
        f"duplicates {stats['duplicates']}, refused by the recorder {stats['errors']}"
    )
    print(
        f"due -> last delivered {stats['last_at'] - due_at:.1f} s "
        f"(due -> first {stats['first_at'] - due_at:.1f} s, the worker polls every 5 s); "
        f"first -> last {spread:.1f} s = {stats['delivered'] / max(spread, 1e-9):,.0f} pushes/s"
    )
    print(
        f"server CPU {server_cpu:.1f} s ({server_cpu / max(1, stats['delivered']) * 1000:.2f} "
        f"ms/push), recorder CPU {recorder_cpu:.1f} s; marked sent {sent:,}, "
        f"delivery rows {rows:,}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--broker-url", default="memory://")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--subscriptions", type=int, default=2)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--lead", type=float, default=30.0, help="seconds until they are due")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--show-log", type=int, default=0, help="print this many log characters")
    asyncio.run(main(parser.parse_args()))
