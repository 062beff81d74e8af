"""Entry points for the CLI: run the client, turn failures into a message and an exit status."""

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any

from rich.console import Console

from tasklive.errors import TaskliveError
from tasklive.terminal.chat import run_chat
from tasklive.terminal.table import show_tasks


def _run(console: Console, work: Coroutine[Any, Any, int | None]) -> int:
    try:
        return asyncio.run(work) or 0
    except TaskliveError as exc:
        console.print(f"[red]{exc.message}[/]", highlight=False)
        return 2
    except KeyboardInterrupt:
        return 130


def chat(url: str, token: str | None, conversation_id: str | None) -> int:
    """`tasklive chat`: live in a terminal, plain lines when stdin is not one."""
    interactive = sys.stdin.isatty()
    console = Console(force_terminal=None if interactive else False, highlight=False)
    return _run(console, run_chat(url, token, conversation_id, console, interactive))


def tasks(url: str, token: str, status: str) -> int:
    """`tasklive tasks`: the task list as a table."""
    console = Console()
    return _run(console, show_tasks(url, token, status, console))
