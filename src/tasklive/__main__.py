"""`python -m tasklive` runs the CLI."""

from tasklive.cli import app

app()
