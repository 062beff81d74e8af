"""`tasklive login`: sign in once and keep a token for `chat` and `tasks`."""

import socket
from typing import Any

from rich.console import Console
from rich.text import Text

from tasklive.errors import AuthenticationError
from tasklive.terminal.credentials import store_token
from tasklive.terminal.service import ServiceClient


async def sign_in_interactively(
    service: ServiceClient, console: Console, email: str | None = None
) -> dict[str, Any]:
    """Ask for email (unless given) and password until they work (three tries)."""
    for attempt in range(3):
        address = email or console.input("Email: ").strip()
        password = console.input("Password: ", password=True)
        try:
            return await service.sign_in(address, password)
        except AuthenticationError as exc:
            console.print(Text(exc.message, style="red"))
            if attempt == 2:
                raise
    raise AuthenticationError("Sign-in failed.")


async def run_login(url: str, email: str | None, console: Console) -> int:
    """Sign in, then save a personal access token (or, without those, the session token)."""
    async with ServiceClient(url) as service:
        user = await sign_in_interactively(service, console, email)
        token = await service.personal_access_token(f"tasklive terminal on {socket.gethostname()}")
        kind = "personal access token" if token else "session token"
        path = store_token(
            url, {"token": token or service.token, "email": user["email"], "kind": kind}
        )
    console.print(
        Text.assemble(
            ("Signed in as ", "dim"),
            (user["email"], "bold"),
            (f". Saved a {kind} in {path}; `tasklive chat` and `tasklive tasks` use it.", "dim"),
        )
    )
    return 0
