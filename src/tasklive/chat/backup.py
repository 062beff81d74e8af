"""A user's conversations and their messages in the account export, and restoring them."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.chat.models import Conversation, Message
from tasklive.db import new_id, utcnow
from tasklive.tasks.transfer.backup_checks import past_moment, unrestored
from tasklive.text import mended, mended_json

PAGE = 50


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "role": message.role,
        "content": message.content,
        "run_id": message.run_id,
        "client_message_id": message.client_message_id,
        "details": message.details,
        "created_at": message.created_at,
    }


async def conversation_pages(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: str
) -> AsyncIterator[list[dict[str, Any]]]:
    """The user's conversations, oldest first, each with its messages; a page at a time."""
    after: tuple[datetime, str] | None = None
    while True:
        query = select(Conversation).where(Conversation.user_id == user_id)
        if after is not None:
            query = query.where(
                (Conversation.created_at > after[0])
                | ((Conversation.created_at == after[0]) & (Conversation.id > after[1]))
            )
        async with sessionmaker() as session:
            page = list(
                await session.scalars(
                    query.order_by(Conversation.created_at, Conversation.id).limit(PAGE)
                )
            )
            ids = [conversation.id for conversation in page]
            messages: dict[str, list[dict[str, Any]]] = {cid: [] for cid in ids}
            rows = await session.scalars(
                select(Message)
                .where(Message.conversation_id.in_(ids))
                .order_by(Message.created_at, Message.id)
            )
            for message in rows:
                messages[message.conversation_id].append(_message(message))
        if not page:
            return
        after = (page[-1].created_at, page[-1].id)
        yield [
            {
                "id": c.id,
                "title": c.title,
                "created_at": c.created_at,
                "updated_at": c.updated_at,
                "messages": messages[c.id],
            }
            for c in page
        ]


def _when(value: Any) -> datetime:
    return past_moment(value) or utcnow()


async def restore_conversations(
    session: AsyncSession,
    user_id: str,
    conversations: list[tuple[str, dict[str, Any]]],
    *,
    dry_run: bool,
) -> int:
    """Add the conversations this account does not have yet (by id), in the caller's
    transaction; returns how many. Their ids were checked as the file was read."""
    values = [value for _, value in conversations]
    taken, fresh = await unrestored(session, Conversation, user_id, values)
    if dry_run or not fresh:
        return len(fresh)
    message_ids = [m["id"] for c in fresh for m in c["messages"] if m["id"]]
    used = set(await session.scalars(select(Message.id).where(Message.id.in_(message_ids))))
    clients = set(
        await session.scalars(
            select(Message.client_message_id).where(
                Message.user_id == user_id, Message.client_message_id.is_not(None)
            )
        )
    )
    rows, message_rows = [], []
    for value in fresh:
        cid = value["id"] if value["id"] and value["id"] not in taken else new_id()
        rows.append(
            {
                "id": cid,
                "user_id": user_id,
                "title": mended(value.get("title") or "Conversation")[:200],
                "created_at": _when(value.get("created_at")),
                "updated_at": _when(value.get("updated_at")),
            }
        )
        for message in value["messages"]:
            client = message.get("client_message_id")
            client = mended(client)[:200] if isinstance(client, str | int) else None
            client = client if client and client not in clients else None
            if client:
                clients.add(client)
            message_rows.append(
                {
                    "id": mid if (mid := message["id"]) and mid not in used else new_id(),
                    "conversation_id": cid,
                    "user_id": user_id,
                    "role": "assistant" if message.get("role") == "assistant" else "user",
                    "content": mended(message.get("content") or ""),
                    "run_id": message["run_id"],
                    "client_message_id": client,
                    "details": mended_json(message.get("details")),
                    "created_at": _when(message.get("created_at")),
                }
            )
    await session.execute(insert(Conversation.__table__), rows)
    if message_rows:
        await session.execute(insert(Message.__table__), message_rows)
    return len(fresh)
