"""A user's conversations and their messages in the account export, and restoring them."""

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tasklive.chat.models import Conversation, Message
from tasklive.db import new_id, utcnow

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


def _text(value: Any) -> str:
    """`value` as text a database stores: NUL and unpaired surrogates become U+FFFD."""
    text = str(value).replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


def _details(value: Any) -> Any:
    """A message's details as JSON a database stores (PostgreSQL refuses \\u0000 in jsonb)."""
    if value is None:
        return None
    return json.loads(_text(json.dumps(value, ensure_ascii=False)).replace("\\u0000", "\ufffd"))


def _moment(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return utcnow()
    return moment if moment.tzinfo else utcnow()


async def restore_conversations(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: str,
    conversations: list[dict[str, Any]],
    *,
    dry_run: bool,
) -> int:
    """Add the conversations this account does not have yet (by id); returns how many."""
    ids = [_text(c.get("id") or "") for c in conversations]
    message_ids = [_text(m.get("id") or "") for c in conversations for m in c.get("messages") or []]
    async with sessionmaker() as session:
        taken = dict(
            (
                await session.execute(
                    select(Conversation.id, Conversation.user_id).where(Conversation.id.in_(ids))
                )
            ).all()
        )
        used = set(await session.scalars(select(Message.id).where(Message.id.in_(message_ids))))
        clients = set(
            await session.scalars(
                select(Message.client_message_id).where(
                    Message.user_id == user_id, Message.client_message_id.is_not(None)
                )
            )
        )
        fresh = [c for c in conversations if taken.get(_text(c.get("id") or "")) != user_id]
        if dry_run or not fresh:
            return len(fresh)
        rows, message_rows = [], []
        for value in fresh:
            cid = _text(value.get("id") or "")
            cid = cid if cid and cid not in taken else new_id()
            rows.append(
                {
                    "id": cid,
                    "user_id": user_id,
                    "title": _text(value.get("title") or "Conversation")[:200],
                    "created_at": _moment(value.get("created_at")),
                    "updated_at": _moment(value.get("updated_at")),
                }
            )
            for message in value.get("messages") or []:
                mid = _text(message.get("id") or "")
                client = message.get("client_message_id")
                client = _text(client)[:200] if client and client not in clients else None
                if client:
                    clients.add(client)
                message_rows.append(
                    {
                        "id": mid if mid and mid not in used else new_id(),
                        "conversation_id": cid,
                        "user_id": user_id,
                        "role": "assistant" if message.get("role") == "assistant" else "user",
                        "content": _text(message.get("content") or ""),
                        "run_id": _text(message["run_id"]) if message.get("run_id") else None,
                        "client_message_id": client,
                        "details": _details(message.get("details")),
                        "created_at": _moment(message.get("created_at")),
                    }
                )
        await session.execute(insert(Conversation.__table__), rows)
        if message_rows:
            await session.execute(insert(Message.__table__), message_rows)
        await session.commit()
        return len(fresh)
