"""Sync tokens (RFC 6578) and the pages of a collection's changes a client's DAV:limit cuts.

A token is a place in the user's change log. `<seq>`: every change up to change number `seq`
was reported. Two kinds of place let a truncated answer (RFC 6578 section 3.6) continue:
`<seq>.<entry>`, partway through change `seq` (one change can touch many tasks), and
`<seq>~<number>`, partway through a first listing made at change `seq`, up to task `number`.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tasklive.caldav.xmlbody import DAV, BadXmlError, DavPreconditionError, tag
from tasklive.tasks.collections import Changed, in_list, list_of, token_valid
from tasklive.tasks.models import Task, TaskChangeEntry, TaskList

PREFIX = "urn:x-tasklive:sync:"
_TOKEN = re.compile(r"(\d{1,18})(?:\.(\d{1,18})|~(\d{1,18}))?")
UNKNOWN = "That sync token is unknown here; sync again from the start."


@dataclass(frozen=True)
class Place:
    """Where in the change log a client is (see the module's docstring)."""

    seq: int
    entry: int | None = None
    number: int | None = None

    @property
    def token(self) -> str:
        if self.entry is not None:
            return f"{PREFIX}{self.seq}.{self.entry}"
        if self.number is not None:
            return f"{PREFIX}{self.seq}~{self.number}"
        return f"{PREFIX}{self.seq}"


def token(seq: int) -> str:
    """The token (and ctag) of a collection whose latest change is `seq`."""
    return Place(seq).token


async def place_of(session: AsyncSession, user_id: str, text: str) -> Place:
    """The place a client's token names; 403 valid-sync-token when it is not one of ours or
    the changes after it are no longer all kept."""
    found = _TOKEN.fullmatch(text.removeprefix(PREFIX)) if text.startswith(PREFIX) else None
    if found is not None:
        seq, entry, number = (int(g) if g is not None else None for g in found.groups())
        assert seq is not None
        place = Place(seq, entry, number)
        # partway through change `seq`, that change's own entries must still be there
        if await token_valid(session, user_id, seq - 1 if entry is not None else seq):
            return place
    raise DavPreconditionError(UNKNOWN, DAV, "valid-sync-token")


def limit_of(root: ET.Element) -> int | None:
    """A report's DAV:limit/DAV:nresults (RFC 5323 section 5.17), if it has one."""
    bound = root.find(tag(DAV, "limit"))
    if bound is None:
        return None
    text = (bound.findtext(tag(DAV, "nresults")) or "").strip()
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 2**31):
        raise BadXmlError("DAV:limit needs DAV:nresults, a whole number of at least 1.")
    return int(text)


async def changes_after(
    session: AsyncSession, user_id: str, row: TaskList, place: Place, limit: int | None
) -> tuple[list[Changed], Place | None]:
    """The collection's resources changed after `place`, each once, with its task where it is
    still in the collection; and where to go on from when `limit` cut the page short. Reads
    only the log entries after `place` and their tasks."""
    after = TaskChangeEntry.seq > place.seq
    if place.entry is not None:
        after |= (TaskChangeEntry.seq == place.seq) & (TaskChangeEntry.id > place.entry)
    entries = list(
        await session.execute(
            select(
                TaskChangeEntry.id,
                TaskChangeEntry.seq,
                TaskChangeEntry.name,
                TaskChangeEntry.task_id,
                TaskChangeEntry.deleted,
            )
            .where(TaskChangeEntry.user_id == user_id, TaskChangeEntry.list_name == row.name)
            .where(after)
            .order_by(TaskChangeEntry.seq, TaskChangeEntry.id)
        )
    )
    cut, names = None, set[str]()
    for index, entry in enumerate(entries):
        if entry.name not in names and len(names) == limit:
            last = entries[index - 1]
            cut = Place(last.seq) if entry.seq > last.seq else Place(last.seq, last.id)
            entries = entries[:index]
            break
        names.add(entry.name)
    latest: dict[str, tuple[str, bool]] = {}
    for entry in entries:
        latest.pop(entry.name, None)  # a name's place in the answer is its latest change
        latest[entry.name] = (entry.task_id, entry.deleted)
    live_ids = [task_id for task_id, deleted in latest.values() if not deleted]
    found: dict[str, Task] = {}
    if live_ids:
        query = select(Task).where(
            Task.user_id == user_id, Task.id.in_(live_ids), in_list(list_of(row))
        )
        found = {task.id: task for task in await session.scalars(query)}
    changes = [
        Changed(name, None if deleted else found.get(task_id))
        for name, (task_id, deleted) in latest.items()
    ]
    return changes, cut
