"""The `tasklive` command: serve, db upgrade, purge, login, chat, tasks, add, tokens."""

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine

from tasklive.config import Settings
from tasklive.db import create_engine, create_sessionmaker, current_revision, upgrade_schema

T = TypeVar("T")

app = typer.Typer(help="tasklive: a conversational task manager.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
tokens_app = typer.Typer(
    help="Personal access tokens for MCP clients and scripts, on a running service.",
    no_args_is_help=True,
)
app.add_typer(tokens_app, name="tokens")
console = Console()


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Run the whole service: API, WebSocket, web page and MCP."""
    from tasklive.server import serve as run_server

    # A stable name, so a restarted process finishes the runs it left behind at once.
    os.environ.setdefault("TASKLIVE_INSTANCE_ID", f"{socket.gethostname()}:{port}")
    run_server(host, port)


def _with_schema(work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """Run `work` on an engine for the configured database, its schema brought up to date."""

    async def run() -> T:
        engine = create_engine(Settings().resolved_database_url)
        try:
            await upgrade_schema(engine)
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date."""
    revision = _with_schema(current_revision)
    console.print(f"Database schema is at revision {revision}.")


@app.command()
def purge() -> None:
    """Delete conversations idle for longer than TASKLIVE_RETENTION_DAYS."""
    from tasklive.chat.retention import purge_once

    settings = Settings()
    purged = _with_schema(lambda engine: purge_once(create_sessionmaker(engine), settings))
    console.print(f"Deleted {purged} conversation(s) idle for over {settings.retention_days} days.")


@app.command()
def chat(
    url: str = typer.Option("http://127.0.0.1:8000", envvar="TASKLIVE_URL", help="Service URL."),
    token: str | None = typer.Option(
        None,
        envvar="TASKLIVE_TOKEN",
        help="Access token; default: the one `tasklive login` saved, else you are asked.",
    ),
    conversation: str | None = typer.Option(None, help="Continue this conversation id."),
) -> None:
    """Chat with your task assistant in the terminal, watching each step live."""
    from tasklive.terminal import commands

    raise typer.Exit(commands.chat(url, token, conversation))


@app.command()
def login(
    url: str = typer.Option("http://127.0.0.1:8000", envvar="TASKLIVE_URL", help="Service URL."),
    email: str | None = typer.Option(None, help="Account email; asked for when not given."),
) -> None:
    """Sign in and save a token (0600 file) that `chat` and `tasks` then use."""
    from tasklive.terminal import commands

    raise typer.Exit(commands.login(url, email))


@app.command()
def tasks(
    url: str = typer.Option("http://127.0.0.1:8000", envvar="TASKLIVE_URL", help="Service URL."),
    token: str | None = typer.Option(
        None, envvar="TASKLIVE_TOKEN", help="Access token; default: the one `tasklive login` saved."
    ),
    status: str = typer.Option("all", help="all, pending or completed."),
) -> None:
    """Print your tasks as a table."""
    from tasklive.terminal import commands

    raise typer.Exit(commands.tasks(url, token, status))


@app.command()
def add(
    text: list[str] = typer.Argument(
        ..., help='The task as you would say it: "call the landlord tomorrow 9am p1 #home".'
    ),
    url: str = typer.Option("http://127.0.0.1:8000", envvar="TASKLIVE_URL", help="Service URL."),
    token: str | None = typer.Option(
        None, envvar="TASKLIVE_TOKEN", help="Access token; default: the one `tasklive login` saved."
    ),
) -> None:
    """Add a task from one line: dates, priority, #labels, list and repeats are read from it."""
    from tasklive.terminal import commands

    raise typer.Exit(commands.add(url, token, " ".join(text)))


URL_OPTION = typer.Option("http://127.0.0.1:8000", envvar="TASKLIVE_URL", help="Service URL.")
TOKEN_OPTION = typer.Option(
    None,
    envvar="TASKLIVE_TOKEN",
    help="Access token; default: the one `tasklive login` saved, else you are asked to sign in.",
)


def _tokens(url: str, token: str | None, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run `work` with a token client; service errors end the command with their message."""
    from tasklive.errors import TaskliveError
    from tasklive.terminal.credentials import stored_token
    from tasklive.terminal.tokens import token_client

    def ask() -> tuple[str, str]:
        return typer.prompt("Email"), typer.prompt("Password", hide_input=True)

    async def run() -> T:
        async with token_client(url, token or stored_token(url), ask) as client:
            return await work(client)

    try:
        return asyncio.run(run())
    except TaskliveError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from None


@tokens_app.command("create")
def tokens_create(
    name: str = typer.Argument(..., help="What the token is for, e.g. 'Claude Desktop'."),
    url: str = URL_OPTION,
    token: str | None = TOKEN_OPTION,
) -> None:
    """Create a token and print it (it is shown only this once)."""
    created = _tokens(url, token, lambda client: client.create_token(name))
    console.print(f"Created token {created['id']} ({created['name']}). Copy it now:")
    print(created["token"])


@tokens_app.command("list")
def tokens_list(url: str = URL_OPTION, token: str | None = TOKEN_OPTION) -> None:
    """List your tokens (never their secrets)."""
    listed = _tokens(url, token, lambda client: client.list_tokens())
    if not listed:
        console.print("No personal access tokens.")
    for row in listed:
        console.print(f"{row['id']}  {row['created_at']}  {row['name']}")


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: str = typer.Argument(..., help="The id shown by 'tasklive tokens list'."),
    url: str = URL_OPTION,
    token: str | None = TOKEN_OPTION,
) -> None:
    """Revoke a token; it stops working at once."""
    _tokens(url, token, lambda client: client.revoke_token(token_id))
    console.print(f"Revoked token {token_id}.")


class ImportFormat(StrEnum):
    todoist = "todoist"
    taskwarrior = "taskwarrior"
    ics = "ics"
    json = "json"


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    ics = "ics"
    taskwarrior = "taskwarrior"


@app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The file to import."),
    format: ImportFormat = typer.Option(..., "--format", "-f", help="What the file is."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show what would happen."),
    url: str = URL_OPTION,
    token: str | None = TOKEN_OPTION,
) -> None:
    """Import tasks from Todoist CSV/ZIP, Taskwarrior JSON, iCalendar or a tasklive export."""
    from tasklive.terminal import commands

    raise typer.Exit(commands.import_file(url, token, file, format.value, dry_run))


@app.command()
def export(
    format: ExportFormat = typer.Option(ExportFormat.json, "--format", "-f", help="File format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File; default stdout."),
    url: str = URL_OPTION,
    token: str | None = TOKEN_OPTION,
) -> None:
    """Download all your tasks (json: the whole account, to import back later)."""
    from tasklive.terminal import commands

    raise typer.Exit(commands.export(url, token, format.value, output))
