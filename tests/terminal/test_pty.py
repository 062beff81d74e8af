"""The terminal client in a real terminal (a pty) against a real `tasklive serve` process."""

import json
import stat
import sys
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pexpect
import pytest

from tests.support.service import ServiceProcess, offline_env

# A busy machine can take longer than httpx's 5 s default; these are not speed checks.
get = partial(httpx.get, timeout=30)
post = partial(httpx.post, timeout=30)

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
TIMEOUT = 60


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServiceProcess]:
    env = offline_env(tmp_path)
    with ServiceProcess(env, log_path=tmp_path / "service.log") as service:
        yield service


def sign_up(service: ServiceProcess) -> dict:
    email = f"term-{uuid.uuid4().hex[:10]}@example.com"
    answer = post(f"{service.url}/api/auth/sign-up", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {**answer.json(), "email": email}


def spawn(*args: str, config_dir: Path, token: str | None = None) -> pexpect.spawn:
    """`tasklive ARGS` in a 120x40 pseudo-terminal, with its own config dir."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(config_dir), "TERM": "xterm-256color"}
    env["TASKLIVE_CONFIG_DIR"] = str(config_dir)
    if token:
        env["TASKLIVE_TOKEN"] = token
    return pexpect.spawn(
        sys.executable,
        ["-m", "tasklive", *args],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 120),
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_login_keeps_a_private_token_that_chat_and_tasks_use(
    served: ServiceProcess, tmp_path: Path
) -> None:
    account = sign_up(served)
    post(
        f"{served.url}/api/tasks",
        json={"title": "buy milk"},
        headers={"Authorization": f"Bearer {account['access_token']}"},
    )
    config = tmp_path / "config"
    login = spawn("login", "--url", served.url, config_dir=config)
    login.expect("Email: ")
    login.sendline(account["email"])
    login.expect("Password: ")
    login.sendline("wrong password")
    login.expect("Email: ")  # a bad pair is said and asked again
    login.sendline(account["email"])
    login.expect("Password: ")
    login.sendline(PASSWORD)
    login.expect("Saved a")
    assert finish(login) == 0
    saved = config / "credentials.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert json.loads(saved.read_text())[served.url]["email"] == account["email"]

    tasks = spawn("tasks", "--url", served.url, config_dir=config)
    tasks.expect("buy milk")
    assert finish(tasks) == 0
    chat = spawn("chat", "--url", served.url, config_dir=config)
    chat.expect("you> ")
    chat.sendline("what's on my list?")
    chat.expect("buy milk")
    chat.expect("you> ")
    chat.sendline("/quit")
    assert finish(chat) == 0

    elsewhere = spawn("tasks", "--url", served.url, config_dir=tmp_path / "empty")
    elsewhere.expect("tasklive login")
    assert finish(elsewhere) == 2


def test_chat_reconnects_after_a_graceful_restart_and_a_crash(
    served: ServiceProcess, tmp_path: Path
) -> None:
    account = sign_up(served)
    chat = spawn("chat", "--url", served.url, config_dir=tmp_path, token=account["access_token"])
    chat.expect("you> ")
    chat.sendline("/help")
    chat.expect("/quit")
    chat.expect("you> ")
    chat.sendline("add buy milk")
    chat.expect("Created #1: buy milk")
    chat.expect("you> ")

    served.stop()  # SIGTERM: the service closes its sockets with 1001
    served.start()
    chat.sendline("add call mom")
    chat.expect("Created #2: call mom")
    chat.expect("you> ")

    assert served.process is not None
    served.process.kill()  # SIGKILL: no goodbye, and the new process counts events anew
    served.process.wait()
    served.start()
    chat.sendline("add water the plants")
    chat.expect("Created #3: water the plants")
    chat.expect("you> ")
    chat.sendline("what's on my list?")
    chat.expect("water the plants")
    chat.expect("you> ")
    chat.sendline("/quit")
    assert finish(chat) == 0

    headers = {"Authorization": f"Bearer {account['access_token']}"}
    user_id = account["user"]["id"]
    conversations = get(f"{served.url}/api/{user_id}/conversations", headers=headers)
    assert len(conversations.json()) == 1
    conversation_id = conversations.json()[0]["id"]
    messages = get(
        f"{served.url}/api/{user_id}/conversations/{conversation_id}/messages", headers=headers
    ).json()
    sent = [m["content"] for m in messages if m["role"] == "user"]
    assert sent == ["add buy milk", "add call mom", "add water the plants", "what's on my list?"]


def test_chat_asks_before_a_bulk_delete_and_reads_the_typed_answer(
    served: ServiceProcess, tmp_path: Path
) -> None:
    account = sign_up(served)
    headers = {"Authorization": f"Bearer {account['access_token']}"}
    for title in ("buy milk", "call mom"):
        post(f"{served.url}/api/tasks", json={"title": title}, headers=headers)
    chat = spawn("chat", "--url", served.url, config_dir=tmp_path, token=account["access_token"])
    chat.expect("you> ")
    chat.sendline("delete all my tasks")
    chat.expect_exact("Approve delete_all_tasks? [y/N]")
    chat.sendline("no, keep them")
    chat.expect_exact("Not approved (denied)")
    chat.expect("you> ")
    assert get(f"{served.url}/api/tasks", headers=headers).json()["total"] == 2

    # Something else typed at the question sets it aside and runs as its own turn.
    chat.sendline("delete all my tasks")
    chat.expect_exact("Approve delete_all_tasks? [y/N]")
    chat.sendline("add water the plants")
    chat.expect_exact("Not approved (superseded)")
    chat.expect("Created #3: water the plants")
    chat.expect("you> ")
    assert get(f"{served.url}/api/tasks", headers=headers).json()["total"] == 3

    chat.sendline("delete all my tasks")
    chat.expect_exact("Approve delete_all_tasks? [y/N]")
    chat.sendline("yes please")
    chat.expect("Approved")
    chat.expect("Deleted all 3 tasks")
    chat.expect("you> ")
    chat.sendline("/quit")
    assert finish(chat) == 0
    assert get(f"{served.url}/api/tasks", headers=headers).json()["total"] == 0
