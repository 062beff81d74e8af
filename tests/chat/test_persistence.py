"""History survives a restart; retention deletes idle conversations (job and `tasklive purge`)."""

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from tasklive import cli
from tasklive.app import create_app
from tasklive.chat.models import Conversation, Message
from tasklive.chat.retention import purge_once
from tasklive.chat.runner import TurnRunner
from tasklive.db import utcnow
from tasklive.realtime.events import RecordingPublisher
from tests.agent.fixtures import post_chat
from tests.agent.scripted import EchoModel
from tests.support.apps import services_of, use_runner


async def test_restart_keeps_history_and_the_model_sees_it(settings):
    async def serve(echo: EchoModel):
        app = create_app(settings)
        context = app.router.lifespan_context(app)
        await context.__aenter__()
        runner = TurnRunner(
            settings, services_of(app).sessionmaker, RecordingPublisher(), model=echo.model()
        )
        await use_runner(app, runner).aclose()
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        return app, context, client

    async def stop(app, context, client):
        await client.aclose()
        await services_of(app).runner.aclose()
        await context.__aexit__(None, None, None)

    app, context, client = await serve(EchoModel())
    signed = await client.post(
        "/api/auth/sign-up", json={"email": "keep@example.com", "password": "correct horse"}
    )
    account = signed.json()
    account["headers"] = {"Authorization": f"Bearer {account['access_token']}"}
    first = (await post_chat(client, account, "remember the milk")).json()
    await stop(app, context, client)

    echo = EchoModel()
    app, context, client = await serve(echo)
    try:
        uid = account["user"]["id"]
        url = f"/api/{uid}/conversations/{first['conversation_id']}/messages"
        stored = (await client.get(url, headers=account["headers"])).json()
        assert [m["content"] for m in stored] == [
            "remember the milk",
            "You said: remember the milk",
        ]
        again = await post_chat(
            client, account, "what did I say?", conversation_id=first["conversation_id"]
        )
        assert again.status_code == 200
        given = [part.content.strip() for message in echo.seen[-1] for part in message.parts]
        assert given == ["remember the milk", "You said: remember the milk", "what did I say?"]
    finally:
        await stop(app, context, client)


async def age(app, conversation_id, days):
    async with services_of(app).sessionmaker() as session:
        await session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(updated_at=utcnow() - timedelta(days=days))
        )
        await session.commit()


async def conversation_ids(app):
    async with services_of(app).sessionmaker() as session:
        return set(await session.scalars(select(Conversation.id)))


async def message_count(app):
    async with services_of(app).sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Message))


async def test_purge_deletes_only_idle_conversations_with_their_messages(
    client, sign_up, runner, app, settings
):
    alice = await sign_up()
    old = (await post_chat(client, alice, "long ago")).json()["conversation_id"]
    recent = (await post_chat(client, alice, "lately")).json()["conversation_id"]
    await age(app, old, settings.retention_days + 1)
    await age(app, recent, settings.retention_days - 1)

    assert await purge_once(services_of(app).sessionmaker, settings) == 1
    assert await conversation_ids(app) == {recent}
    assert await message_count(app) == 2
    assert await purge_once(services_of(app).sessionmaker, settings) == 0


async def test_purge_command_uses_the_configured_retention(client, sign_up, runner, app, settings):
    alice = await sign_up()
    kept = (await post_chat(client, alice, "ten days old")).json()["conversation_id"]
    gone = (await post_chat(client, alice, "forty days old")).json()["conversation_id"]
    await age(app, kept, 10)
    await age(app, gone, 40)
    env = {
        "TASKLIVE_DATABASE_URL": settings.database_url,
        "TASKLIVE_DATA_DIR": str(settings.data_dir),
        "TASKLIVE_RETENTION_DAYS": "30",
    }
    result = await asyncio.to_thread(CliRunner().invoke, cli.app, ["purge"], env=env)
    assert result.exit_code == 0, result.output
    assert "Deleted 1 conversation" in result.output
    assert await conversation_ids(app) == {kept}


async def test_a_turn_stored_by_an_earlier_version_is_replayed_in_todays_shape(
    client, sign_up, app
):
    alice = await sign_up()
    first = await post_chat(client, alice, "add buy milk", client_message_id="old-1")
    assert first.status_code == 200, first.text
    reply_id = first.json()["message_id"]
    old_task = {k: first.json()["tasks"][0][k] for k in ("id", "number", "title", "completed")}
    older = {"result": {"response": "Added task #1: buy milk", "tasks": [old_task]}}
    async with services_of(app).sessionmaker() as session:
        await session.execute(update(Message).where(Message.id == reply_id).values(details=older))
        await session.commit()

    again = await post_chat(client, alice, "add buy milk", client_message_id="old-1")
    assert again.status_code == 200, again.text
    body = again.json()
    assert (body["message_id"], body["run_id"]) == (reply_id, first.json()["run_id"])
    assert body["tasks"][0]["title"] == "buy milk" and body["tasks"][0]["labels"] == []
    assert body["tool_calls"] == []
