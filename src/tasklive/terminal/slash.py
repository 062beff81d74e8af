"""Lines starting with "/" that the terminal client answers itself; they never reach the model."""

from rich.console import Console
from rich.text import Text

QUIT = frozenset({"/quit", "/exit"})
HELP = frozenset({"/help", "/?"})
NEW = "/new"

HELP_TEXT = """\
Type a message and press Enter; each step of the reply shows as it happens.
  /new    start a new conversation
  /help   show this help
  /quit   leave (so do Ctrl-D, or Ctrl-C at the prompt)
During a reply, Ctrl-C cancels it; a second Ctrl-C quits.
To send a line that starts with "/", begin it with "//"."""


def is_local(line: str) -> bool:
    """Whether the client handles this line itself."""
    return line.startswith("/") and not line.startswith("//")


def show_help(console: Console) -> None:
    console.print(Text(HELP_TEXT, style="dim"))


def unknown(console: Console, line: str) -> None:
    command = line.split()[0]
    console.print(Text(f"Unknown command {command}; /help lists what there is.", style="yellow"))
