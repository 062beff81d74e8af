"""Judging a blind case by the rows it leaves (chat) or the draft it reads (the add box).

A verdict is "right" (the rows match one accepted outcome), "asked" (nothing was written and that
was not what was wanted) or "wrong" (a write the person did not ask for: a task created, changed or
deleted wrongly, or a title that lost or gained words).
"""

import re
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.auth.models import User
from tasklive.tasks.models import Task
from tasklive.tasks.service import TaskService
from tests.agent.offline.blind.cases import CLOCKS, SEED, Case, Clock, OneOf, Tally
from tests.agent.offline.harness import OfflineChat

FIELDS = ("due", "priority", "labels", "list", "recurrence", "remind_at", "description")
EMPTY: dict[str, Any] = {"description": "", "completed": False, "due": None, "priority": None,
                         "labels": [], "list": None, "recurrence": None,
                         "remind_at": None}  # fmt: skip
Row = dict[str, Any]


def moment(value: Any, zone: ZoneInfo) -> Any:
    """An expected or stored due/remind value as something comparable: a date stays a date, a
    date-time becomes its instant (seconds since the epoch)."""
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=zone)
        return aware.timestamp()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("Z", "+00:00")
    if len(text) == 10:
        return date.fromisoformat(text)
    return moment(datetime.fromisoformat(text), zone)


def seed_value(spec: str, clock: Clock) -> date | datetime:
    """A SEED due ("+4 17:00": four days from the clock's local date, at 17:00) as a value."""
    days, _, at = spec.partition(" ")
    day = clock.now.date() + timedelta(days=int(days))
    if not at:
        return day
    hour, minute = map(int, at.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(clock.zone))


def rule_dates(rule: str, start: Any, zone: ZoneInfo) -> list[Any] | None:
    """The first occurrences of an RRULE from `start`, to compare rules by meaning."""
    if isinstance(start, float):
        first = datetime.fromtimestamp(start, zone).replace(tzinfo=None)
    elif isinstance(start, date):
        first = datetime(start.year, start.month, start.day)
    else:
        first = datetime(2027, 1, 4)
    try:
        return list(islice(rrulestr(rule.removeprefix("RRULE:"), dtstart=first), 8))
    except (ValueError, TypeError):
        return None


def same_rule(expected: Any, actual: Any, due: Any, zone: ZoneInfo) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    want, got = rule_dates(expected, due, zone), rule_dates(str(actual), due, zone)
    if want is None or got is None:
        return str(expected).upper() == str(actual).upper()
    return want == got


def field_matches(name: str, want: Any, got: Row, zone: ZoneInfo) -> bool:
    options = want if isinstance(want, OneOf) else (want,)
    return any(value_matches(name, option, got, zone) for option in options)


def value_matches(name: str, want: Any, got: Row, zone: ZoneInfo) -> bool:
    have = got.get(name)
    if name in ("due", "remind_at"):
        return moment(want, zone) == moment(have, zone)
    if name == "recurrence":
        return same_rule(want, have, moment(got.get("due"), zone), zone)
    if name == "labels":
        return sorted(x.lower() for x in want or []) == sorted(x.lower() for x in have or [])
    if name == "list":
        return (want or "").casefold() == (have or "").casefold()
    if name == "description":
        return (want or "") == (have or "")
    return bool(want == have)


def row_matches(want: Row, got: Row, zone: ZoneInfo, today: date | None = None) -> bool:
    """`today`: the day the task was added, for a repeat said without a day."""
    fields = {**EMPTY, **want}
    unsaid = want.get("recurrence") and "due" not in want
    if unsaid and today is not None and first_occurrence(want, got, zone, today):
        fields.pop("due")  # "every three weeks": no day said, so the first one is the app's
    return all(field_matches(name, value, got, zone) for name, value in fields.items())


PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


def first_occurrence(want: Row, got: Row, zone: ZoneInfo, today: date) -> bool:
    """A due the wanted rule starts from, no later than one period after the task was added."""
    due, rule = moment(got.get("due"), zone), str(want["recurrence"]).upper()
    if due is None or isinstance(want["recurrence"], OneOf):
        return False
    day = datetime.fromtimestamp(due, zone).date() if isinstance(due, float) else due
    freq = re.search(r"FREQ=(\w+)", rule)
    interval = re.search(r"INTERVAL=(\d+)", rule)
    span = PERIOD_DAYS.get(freq[1] if freq else "", 0) * int(interval[1] if interval else 1)
    return timedelta(0) <= day - today <= timedelta(days=span)


def seed_rows(clock: Clock) -> dict[int, Row]:
    rows = {}
    for number, (title, fields) in SEED.items():
        row = {"title": title, **fields}
        if "due" in fields:
            row["due"] = seed_value(fields["due"], clock)
        rows[number] = row
    return rows


def outcome_matches(outcome: dict[Any, Any], rows: dict[int, Row], clock: Clock) -> bool:
    """The rows are the seed with exactly this outcome applied."""
    zone = ZoneInfo(clock.zone)
    seed = seed_rows(clock)
    for number, row in seed.items():
        change = outcome.get(number, {})
        if change is None:
            if number in rows:
                return False
            continue
        if number not in rows or not row_matches({**row, **change}, rows[number], zone):
            return False
    new = [row for number, row in sorted(rows.items()) if number not in seed]
    wanted = list(outcome.get("add", []))
    if len(new) != len(wanted):
        return False
    for row in new:  # each new task matches one wanted task, in any order
        hit = next((w for w in wanted if row_matches(w, row, zone, clock.now.date())), None)
        if hit is None:
            return False
        wanted.remove(hit)
    return True


def titles_damaged(case: Case, before: dict[int, Row], after: dict[int, Row]) -> bool:
    """A new or renamed task whose title is none of the titles the case accepts."""
    accepted: set[str] = set()
    for outcome in case.expect:
        for key, value in outcome.items():
            wanted = value if key == "add" else [value] if isinstance(value, dict) else []
            for row in wanted:
                title = row.get("title", before.get(key, {}).get("title"))
                accepted |= set(title) if isinstance(title, OneOf) else {title}
    for number, row in after.items():
        old = before.get(number)
        if (old is None or old["title"] != row["title"]) and row["title"] not in accepted:
            return True
    return False


def stray(case: Case, seed: dict[int, Row], after: dict[int, Row], zone: ZoneInfo) -> bool:
    """More tasks added than asked for, or a seeded task changed or deleted that no accepted
    outcome touches."""
    added = len([n for n in after if n not in seed])
    if added > max(len(outcome.get("add", [])) for outcome in case.expect):
        return True
    named = {key for outcome in case.expect for key in outcome if key != "add"}
    return any(
        number not in named and (number not in after or not row_matches(row, after[number], zone))
        for number, row in seed.items()
    )


async def seeded_chat(maker: async_sessionmaker[AsyncSession], clock: Clock) -> OfflineChat:
    """A new user in the clock's zone whose list is SEED: copied in one insert from a first
    user seeded through the task service (seeding each user that way took most of the time)."""
    rows = TEMPLATES.get((maker, clock))
    if rows is None:
        first = await seeded_through_service(maker, clock)
        async with maker() as session:
            tasks = await session.scalars(select(Task).where(Task.user_id == first.user_id))
            rows = [
                {c.key: getattr(t, c.key) for c in COLUMNS if c.key not in ("id", "user_id")}
                for t in tasks
            ]
        TEMPLATES[(maker, clock)] = rows
        return first
    async with maker() as session:
        user = User(
            email=f"{uuid.uuid4().hex}@example.com",
            password_hash="x",
            last_task_number=len(SEED),
            timezone=clock.zone,
        )
        session.add(user)
        await session.flush()
        session.add_all(Task(user_id=user.id, **row) for row in rows)
        await session.commit()
    return OfflineChat(maker, user.id, clock.now.astimezone(UTC))


TEMPLATES: dict[tuple[async_sessionmaker[AsyncSession], Clock], list[Row]] = {}
SEEDED: dict[tuple[async_sessionmaker[AsyncSession], Clock], dict[int, Row]] = {}
COLUMNS = Task.__mapper__.column_attrs


async def seeded_through_service(
    maker: async_sessionmaker[AsyncSession], clock: Clock
) -> OfflineChat:
    """A new user in the clock's zone whose list is SEED (titles in one go, then details)."""
    rows = seed_rows(clock)
    done = tuple(n for n, row in rows.items() if row.get("completed"))
    titles = [row["title"] for row in rows.values()]
    chat = await OfflineChat.start(
        maker, *titles, completed=done, timezone=clock.zone, now=clock.now.astimezone(UTC)
    )
    async with maker() as session:
        tasks = TaskService(session, chat.user_id, deferred=True)  # one commit for the seed
        for number, row in rows.items():
            details = {k: v for k, v in row.items() if k not in ("title", "completed")}
            if details:
                await tasks.update(await tasks.get_by_number(number), **details)
        await session.commit()
    return chat


async def rows_of(chat: OfflineChat) -> dict[int, Row]:
    return {task["number"]: task for task in await chat.tasks()}


async def judge_chat(maker: async_sessionmaker[AsyncSession], case: Case) -> tuple[str, str, str]:
    """Run the case's messages through the offline turn; (verdict, reply, kind of wrong write:
    "title", "stray" or "")."""
    clock = CLOCKS[case.clock]
    chat = await seeded_chat(maker, clock)
    for earlier in case.before:
        await chat.say(earlier)
    if case.before or (maker, clock) not in SEEDED:
        before = await rows_of(chat)
        if not case.before:
            SEEDED[(maker, clock)] = before
    else:
        before = SEEDED[(maker, clock)]  # every seeded list reads the same
    reply = await chat.say(case.text)
    after = await rows_of(chat)
    if any(outcome_matches(outcome, after, clock) for outcome in case.expect):
        return "right", reply, ""
    if after == before:
        return "asked", reply, ""
    seed = seed_rows(clock)
    if titles_damaged(case, seed, after):
        return "wrong", reply, "title"
    return "wrong", reply, "stray" if stray(case, seed, after, ZoneInfo(clock.zone)) else ""


def draft_row(draft: Any) -> Row:
    """A quick-add draft as a row; a reminder offset is read as minutes (or a timedelta) before
    the due."""
    row = {name: getattr(draft, name, None) for name in ("title", *FIELDS)}
    row["labels"] = list(row["labels"] or [])
    row["completed"] = False
    offset = getattr(draft, "reminder_offset", None)
    due = row["due"]
    if isinstance(due, str) and len(due) > 10:
        due = datetime.fromisoformat(due)
    if row["remind_at"] is None and offset is not None and isinstance(due, datetime):
        delta = offset if isinstance(offset, timedelta) else timedelta(minutes=offset)
        row["remind_at"] = due - delta
    return row


def judge_box(read: Callable[..., Any] | None, case: Case) -> tuple[str, str, str]:
    """Read a box line with the quick-add reader; a line it refuses counts as asked."""
    if read is None:
        return "asked", "(no quick-add reader yet)", ""
    clock = CLOCKS[case.clock]
    try:
        try:
            draft = read(case.text, now=clock.now, zone=ZoneInfo(clock.zone))
        except (TypeError, AttributeError):  # a reader that takes the zone's name
            draft = read(case.text, now=clock.now, zone=clock.zone)
    except Exception as error:  # the reader refusing a line is a miss, not a write
        return "asked", f"refused: {error}", ""
    row = draft_row(draft)
    zone = ZoneInfo(clock.zone)
    (outcome,) = case.expect
    if row_matches(outcome["add"][0], row, zone, clock.now.date()):
        return "right", repr(row), ""
    title = outcome["add"][0]["title"]
    damaged = row["title"] not in (title if isinstance(title, OneOf) else (title,))
    return "wrong", repr(row), "title" if damaged else ""


SPAN_KINDS = {"due", "priority", "label", "list", "recurrence", "reminder", "description"}


def span_problem(read: Callable[..., Any], case: Case) -> str:
    """What is off in the spans the reader gives for a box line (the page highlights them): out
    of the text, an unknown kind, overlapping, or covering a word of the title; "" if nothing."""
    clock = CLOCKS[case.clock]
    try:
        draft = read(case.text, now=clock.now, zone=ZoneInfo(clock.zone))
    except Exception:  # a refused line has no spans to check
        return ""
    text, left, end = case.text, list(case.text), -1
    spans = [
        s if isinstance(s, dict) else {k: getattr(s, k) for k in ("start", "end", "kind")}
        for s in getattr(draft, "spans", None) or []
    ]
    for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
        if not 0 <= span["start"] < span["end"] <= len(text):
            return f"span {span} is outside the text"
        if span["kind"] not in SPAN_KINDS:
            return f"span {span} has an unknown kind"
        if span["start"] < end:
            return f"span {span} overlaps the one before"
        end = span["end"]
        left[span["start"] : span["end"]] = " " * (span["end"] - span["start"])
    remaining = "".join(left).casefold()
    for word in str(draft.title).casefold().split():
        if word.strip("'\".,;:!?") not in remaining:
            return f"title word {word!r} lies inside a span"
    return ""


def quick_reader() -> Callable[..., Any] | None:
    """`tasklive.tasks.quickadd.read` once it has landed, else None (its lines score as misses)."""
    try:
        from tasklive.tasks.quickadd import read
    except ImportError:
        return None
    return read  # type: ignore[no-any-return]


async def score(
    maker: async_sessionmaker[AsyncSession], cases: Iterable[Case]
) -> tuple[dict[str, Tally], list[float]]:
    """Every case judged, tallied by class; also the seconds each case took."""
    read = quick_reader()
    tallies: dict[str, Tally] = {}
    seconds = []
    for case in cases:
        began = time.perf_counter()
        if case.box:
            verdict, reply, kind = judge_box(read, case)
        else:
            verdict, reply, kind = await judge_chat(maker, case)
        seconds.append(time.perf_counter() - began)
        tally = tallies.setdefault(case.kind, Tally())
        setattr(tally, verdict, getattr(tally, verdict) + 1)
        tally.damaged_titles += kind == "title"
        tally.strays += kind == "stray"
        if verdict != "right":
            tally.misses.append((verdict, case, reply))
    return tallies, seconds


def report(name: str, tallies: dict[str, Tally], misses: bool = True) -> Tally:
    """Print a line per class and the total; returns the total."""
    total = Tally()
    print(f"\n{name}")
    for kind, tally in sorted(tallies.items()):
        print(line(kind, tally))
        for field_name in ("right", "asked", "wrong", "damaged_titles", "strays"):
            setattr(total, field_name, getattr(total, field_name) + getattr(tally, field_name))
        total.misses += tally.misses
    print(line("all", total))
    if misses:
        for verdict, case, reply in total.misses:
            print(f"  {verdict:5} [{case.kind}/{case.clock}] {case.text!r} -> {reply[:150]!r}")
    return total


def line(kind: str, tally: Tally) -> str:
    share = tally.right / tally.seen if tally.seen else 0.0
    return (f"  {kind:10} {tally.right:3}/{tally.seen:3} = {share:6.1%}  asked {tally.asked:3}"
            f"  wrong writes {tally.wrong:3} (titles {tally.damaged_titles:2},"
            f" strays {tally.strays:2})")  # fmt: skip
