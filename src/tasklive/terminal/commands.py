"""Entry points for the CLI: run the client, turn failures into a message and an exit status."""

import asyncio
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from tasklive.errors import AuthenticationError, InvalidInputError, TaskliveError
from tasklive.terminal.add import quick_add
from tasklive.terminal.chat import run_chat
from tasklive.terminal.credentials import stored_token
from tasklive.terminal.login import run_login
from tasklive.terminal.table import show_tasks
from tasklive.terminal.transfer import run_export, run_import

NOT_SIGNED_IN = "Not signed in: run `tasklive login` (or give --token)."
EMPTY_LINE = 'Say what the task is, e.g. tasklive add "call the landlord tomorrow 9am p1".'


def _run(console: Console, work: Coroutine[Any, Any, int | None]) -> int:
    try:
        return asyncio.run(work) or 0
    except TaskliveError as exc:
        console.print(f"[red]{escape(exc.message)}[/]", highlight=False)
        return 2
    except KeyboardInterrupt:
        return 130


def chat(url: str, token: str | None, conversation_id: str | None) -> int:
    """`tasklive chat`: live in a terminal, plain lines when stdin is not one."""
    interactive = sys.stdin.isatty()
    console = Console(force_terminal=None if interactive else False, highlight=False)
    token = token or stored_token(url)
    return _run(console, run_chat(url, token, conversation_id, console, interactive))


def tasks(url: str, token: str | None, status: str) -> int:
    """`tasklive tasks`: the task list as a table."""
    console = Console()
    token = token or stored_token(url)
    if not token:
        return _run(console, _fail(AuthenticationError(NOT_SIGNED_IN)))
    return _run(console, show_tasks(url, token, status, console))


def add(url: str, token: str | None, text: str) -> int:
    """`tasklive add "TEXT"`: a task from one line, and what the reader recognised in it."""
    console = Console(highlight=False)
    token = token or stored_token(url)
    if not token:
        return _run(console, _fail(AuthenticationError(NOT_SIGNED_IN)))
    if not text.strip():
        return _run(console, _fail(InvalidInputError(EMPTY_LINE)))
    return _run(console, quick_add(url, token, text.strip(), console))


def login(url: str, email: str | None) -> int:
    """`tasklive login`: sign in and keep a token for the other commands."""
    console = Console(highlight=False)
    return _run(console, run_login(url, email, console))


async def _fail(error: TaskliveError) -> int:
    raise error


def import_file(url: str, token: str | None, path: Path, format: str, dry_run: bool) -> int:
    """`tasklive import FILE --format ...`."""
    console = Console(highlight=False, stderr=False)
    token = token or stored_token(url)
    if not token:
        return _run(console, _fail(AuthenticationError(NOT_SIGNED_IN)))
    return _run(console, run_import(url, token, path, format, dry_run, console))


def export(url: str, token: str | None, format: str, output: Path | None) -> int:
    """`tasklive export --format ... [-o FILE]`."""
    console = Console(highlight=False, stderr=True)
    token = token or stored_token(url)
    if not token:
        return _run(console, _fail(AuthenticationError(NOT_SIGNED_IN)))
    return _run(console, run_export(url, token, format, output, console))
