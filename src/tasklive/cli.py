"""The `tasklive` command: serve, db upgrade, purge, chat, tasks."""

import asyncio

import typer
import uvicorn
from rich.console import Console

from tasklive.config import Settings
from tasklive.db import create_engine, current_revision, upgrade_schema

app = typer.Typer(help="tasklive: a conversational task manager.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console()


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Run the whole service: API, WebSocket, web page and MCP."""
    uvicorn.run(
        "tasklive.main:create_app",
        factory=True,
        host=host,
        port=port,
        proxy_headers=True,
        timeout_graceful_shutdown=10,
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date."""

    async def run() -> str | None:
        engine = create_engine(Settings().resolved_database_url)
        try:
            await upgrade_schema(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    console.print(f"Database schema is at revision {asyncio.run(run())}.")
