"""`tasklive tokens` against a served app: create (after signing in), list, revoke."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from typer.testing import CliRunner

from tasklive.cli import app as cli
from tests.support.live import serving


@pytest.fixture
async def base_url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


async def tasklive(*args: str, input: str | None = None, token: str | None = None):
    env = {"TASKLIVE_TOKEN": token} if token else {}
    runner = CliRunner()
    return await asyncio.to_thread(runner.invoke, cli, list(args), input=input, env=env)


async def test_create_list_and_revoke_from_the_terminal(base_url, client, sign_up):
    account = await sign_up("cli@example.com", "right password")
    created = await tasklive(
        "tokens", "create", "laptop", "--url", base_url, input="cli@example.com\nright password\n"
    )
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("tlp_")
    listed = await tasklive("tokens", "list", "--url", base_url, token=secret)
    assert listed.exit_code == 0 and "laptop" in listed.output and secret not in listed.output
    token_id = listed.output.split()[0]

    revoked = await tasklive("tokens", "revoke", token_id, "--url", base_url, token=secret)
    assert revoked.exit_code == 0, revoked.output
    assert (await client.get("/api/auth/tokens", headers=account["headers"])).json() == []
    refused = await tasklive("tokens", "list", "--url", base_url, token=secret)
    assert refused.exit_code == 1
    assert "sign in again" in refused.output.lower()
