"""Every offline-model phrase through POST /api/{user_id}/chat, checked against the stored tasks."""

import asyncio
from typing import Any

import httpx
import pytest

from tasklive.app import create_app
from tests.agent.fixtures import post_chat, post_chat_answering
from tests.support.apps import services_of

Account = dict[str, Any]


class Chat:
    """One user talking to the app's default (offline) model over HTTP, in one conversation."""

    def __init__(self, client: httpx.AsyncClient, account: Account) -> None:
        self.client = client
        self.account = account
        self.conversation_id: str | None = None

    async def say(self, message: str, approve: bool | None = None) -> dict[str, Any]:
        """Send a message; `approve` answers the approval card it raises (None: expect none)."""
        extra = {"conversation_id": self.conversation_id} if self.conversation_id else {}
        if approve is None:
            response = await post_chat(self.client, self.account, message, **extra)
        else:
            response = await post_chat_answering(
                self.client, self.account, message, approve, **extra
            )
        assert response.status_code == 200, response.text
        data = response.json()
        self.conversation_id = data["conversation_id"]
        return data

    async def tasks(self) -> list[dict[str, Any]]:
        response = await self.client.get(
            "/api/tasks", params={"limit": 200}, headers=self.account["headers"]
        )
        assert response.status_code == 200, response.text
        return response.json()["items"]

    async def titles(self) -> list[str]:
        return [task["title"] for task in await self.tasks()]

    async def done(self) -> dict[int, bool]:
        return {task["number"]: task["completed"] for task in await self.tasks()}

    async def seed(self, *titles: str, completed: tuple[int, ...] = ()) -> None:
        for title in titles:
            response = await self.client.post(
                "/api/tasks", json={"title": title}, headers=self.account["headers"]
            )
            assert response.status_code == 201, response.text
            if response.json()["number"] in completed:
                patched = await self.client.patch(
                    f"/api/tasks/{response.json()['id']}",
                    json={"completed": True},
                    headers=self.account["headers"],
                )
                assert patched.status_code == 200, patched.text


@pytest.fixture
async def chat(client: httpx.AsyncClient, sign_up: Any) -> Chat:
    return Chat(client, await sign_up())


def tools_of(turn: dict[str, Any]) -> list[str]:
    return [call["tool"] for call in turn["tool_calls"]]


async def test_adding_tasks(chat: Chat) -> None:
    turn = await chat.say("Add a task to buy groceries")
    assert '#1 "buy groceries"' in turn["response"]
    assert [task["title"] for task in turn["tasks"]] == ["buy groceries"]
    assert turn["tool_calls"][0]["tool"] == "add_task" and turn["tool_calls"][0]["ok"]
    await chat.say("Create a task called call mom tonight at 7pm")
    await chat.say("Remind me to finish the report")
    asked = await chat.say("add task")
    assert "What should the new task say?" in asked["response"] and asked["tool_calls"] == []
    assert await chat.titles() == ["buy groceries", "call mom", "finish the report"]
    await chat.say("Please put water the plants on my to-do list")
    assert (await chat.titles())[-1] == "water the plants"


async def test_listing_and_counting(chat: Chat) -> None:
    await chat.seed("buy groceries", "prepare the meeting agenda", "call dentist", completed=(3,))
    everything = await chat.say("What are my tasks?")
    assert '#1 "buy groceries"' in everything["response"]
    assert '#3 "call dentist" (done)' in everything["response"]
    for question in ("What do I need to do?", "Show me my pending tasks"):
        pending = (await chat.say(question))["response"]
        assert "#1" in pending and "#2" in pending and "#3" not in pending
    completed = (await chat.say("Show completed tasks"))["response"]
    assert '#3 "call dentist"' in completed and "#1" not in completed
    counted = (await chat.say("How many tasks do I have?"))["response"]
    assert "3 tasks" in counted and "2 pending" in counted and "1 completed" in counted
    assert await chat.done() == {1: False, 2: False, 3: True}


async def test_changing_titles(chat: Chat) -> None:
    await chat.seed("buy groceries", "prepare the meeting agenda")
    await chat.say("Change task 1 to buy groceries and milk")
    await chat.say("Rename the meeting task to prepare slides")
    assert await chat.titles() == ["buy groceries and milk", "prepare slides"]
    which = await chat.say("Change my task to buy groceries")
    assert "Which task" in which["response"] and which["tool_calls"] == []
    await chat.say("task 2")
    assert await chat.titles() == ["buy groceries and milk", "buy groceries"]
    missing = await chat.say("Change task 999 to something")
    assert "Task #999 doesn't exist" in missing["response"]
    assert missing["tool_calls"][0]["ok"] is False
    assert await chat.titles() == ["buy groceries and milk", "buy groceries"]


async def test_ambiguous_rename_asks_then_follows_the_answer(chat: Chat) -> None:
    await chat.seed("team meeting prep", "meeting notes")
    asked = await chat.say("Rename the meeting task to prepare slides")
    assert "#1" in asked["response"] and "#2" in asked["response"]
    assert await chat.titles() == ["team meeting prep", "meeting notes"]
    await chat.say("the second one")
    assert await chat.titles() == ["team meeting prep", "prepare slides"]


async def test_completing_tasks(chat: Chat) -> None:
    await chat.seed("buy groceries", "prepare the meeting agenda", "call dentist")
    await chat.say("Mark task 1 as complete")
    assert await chat.done() == {1: True, 2: False, 3: False}
    await chat.say("Mark task 1 as incomplete")
    assert (await chat.done())[1] is False
    await chat.say("I finished the groceries task")
    assert (await chat.done())[1] is True
    await chat.say("Unmark task 1")
    assert (await chat.done())[1] is False
    everything = await chat.say("Mark all tasks as complete", approve=True)
    assert "Marked 3 tasks as complete" in everything["response"]
    assert await chat.done() == {1: True, 2: True, 3: True}


async def test_deleting_tasks(chat: Chat) -> None:
    await chat.seed("buy groceries", "prepare the meeting agenda", "call dentist")
    await chat.say("Delete task 1")
    await chat.say("Remove the meeting task")
    assert await chat.titles() == ["call dentist"]
    missing = await chat.say("Delete task 999")
    assert "Task #999 doesn't exist" in missing["response"]
    assert await chat.titles() == ["call dentist"]


async def test_delete_all_asks_on_an_approval_card(chat: Chat) -> None:
    await chat.seed("buy groceries", "call dentist")
    kept = await chat.say("Delete all my tasks", approve=False)
    assert "nothing was changed" in kept["response"]
    assert len(await chat.tasks()) == 2
    deleted = await chat.say("please clear my whole list", approve=True)
    assert tools_of(deleted) == ["delete_all_tasks"]
    assert await chat.tasks() == []


async def test_single_deletes_ask_first_when_the_user_says_so(chat: Chat) -> None:
    await chat.seed("buy groceries", "call dentist", "water the plants")
    headers = chat.account["headers"]
    assert (await chat.client.get("/api/auth/me", headers=headers)).json()[
        "approve_deletes"
    ] is False
    assert tools_of(await chat.say("delete task 1")) == ["delete_task"]  # no card by default

    setting = {"approve_deletes": True}
    patched = await chat.client.patch("/api/auth/me", json=setting, headers=headers)
    assert patched.status_code == 200 and patched.json()["approve_deletes"] is True
    denied = await chat.say("delete task 2", approve=False)  # fails unless a card asked
    assert [(call["tool"], call["ok"]) for call in denied["tool_calls"]] == [("delete_task", False)]
    assert await chat.titles() == ["call dentist", "water the plants"]
    await chat.say("delete task 3", approve=True)
    assert await chat.titles() == ["call dentist"]
    assert (await chat.client.get("/api/auth/me", headers=headers)).json()["approve_deletes"]


async def test_an_approval_answered_on_another_instance_reaches_the_run(
    chat: Chat, settings: Any, app: Any
) -> None:
    await chat.seed("buy groceries", "call dentist")
    uid = chat.account["user"]["id"]
    asked = await post_chat(chat.client, chat.account, "Delete all my tasks", client_message_id="x")
    assert asked.status_code == 202
    other = create_app(settings)
    async with other.router.lifespan_context(other):
        transport = httpx.ASGITransport(app=other)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            answered = await client.post(
                f"/api/{uid}/approvals/{asked.json()['approval_id']}",
                json={"approved": True},
                headers=chat.account["headers"],
            )
            assert answered.status_code == 200
    # No broker links the two apps: the waiting run finds the answer in the database.
    turn = services_of(app).runner.running(asked.json()["run_id"])
    assert turn is not None
    result = await asyncio.wait_for(turn.result(), 10)
    assert result.body["tool_calls"][0]["ok"] is True
    assert await chat.tasks() == []


async def test_two_commands_in_one_message(chat: Chat) -> None:
    await chat.seed("buy groceries")
    turn = await chat.say("Add a task to buy milk and mark task 1 as complete")
    assert tools_of(turn) == ["add_task", "complete_task"]
    assert await chat.titles() == ["buy groceries", "buy milk"]
    assert await chat.done() == {1: True, 2: False}


async def test_questions_that_change_nothing(chat: Chat) -> None:
    await chat.seed("buy groceries")
    many = await chat.say("Create 3 tasks for my morning routine")
    assert "3 tasks" in many["response"] and "What should they be?" in many["response"]
    assert await chat.titles() == ["buy groceries"]
    weather = await chat.say("What's the weather?")
    assert weather["tool_calls"] == [] and "to-do list" in weather["response"]
    await chat.say("Add a task to buy milk")
    recalled = await chat.say("What was the task I added?")
    assert recalled["tool_calls"] == [] and '#2 "buy milk"' in recalled["response"]
    assert await chat.titles() == ["buy groceries", "buy milk"]


async def test_complete_task_0_answers_like_a_person(client, sign_up):
    chat = Chat(client, await sign_up())
    await chat.say("add buy milk")
    reply = await chat.say("complete task 0")
    assert "Input should be" not in reply["response"]
    assert "task numbers start at 1" in reply["response"].lower()
