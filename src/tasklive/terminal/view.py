"""How one run looks in the terminal: live spinners and streaming text, or plain lines."""

from dataclasses import dataclass, field
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

CHECK, CROSS = "✓", "✗"


@dataclass
class Step:
    """One tool call: running (with its latest message) or finished."""

    message: str
    ok: bool | None = None


@dataclass
class RunState:
    """What a run has shown so far."""

    thinking: str = "Thinking..."
    steps: dict[str, Step] = field(default_factory=dict)
    reply: str = ""
    done: bool = False


class RunView:
    """Renders one run's events; `live` uses rich spinners, otherwise plain lines."""

    def __init__(self, console: Console, live: bool) -> None:
        self.console = console
        self.state = RunState()
        self._live: Live | None = None
        if live:
            self._live = Live(self._render(), console=console, refresh_per_second=12)
            self._live.start()
        self._printed_reply = 0

    def show(self, event: dict[str, Any]) -> None:
        """Apply one event of the run."""
        kind, message = event.get("event_type"), str(event.get("message") or "")
        state = self.state
        call_id = str(event.get("tool_call_id") or event.get("tool") or len(state.steps))
        if kind == "agent_thinking":
            state.thinking = message or state.thinking
        elif kind in ("tool_starting", "tool_progress"):
            state.steps.setdefault(call_id, Step(message)).message = message
            if self._live is None and kind == "tool_starting":
                self.console.print(f"… {message}", highlight=False)
        elif kind in ("tool_complete", "tool_error"):
            step = state.steps.setdefault(call_id, Step(message))
            step.message, step.ok = message or step.message, kind == "tool_complete"
            if self._live is None:
                mark = CHECK if step.ok else CROSS
                self.console.print(f"{mark} {step.message}", highlight=False)
        elif kind == "approval_resolved":
            approved = bool(event.get("approved"))
            mark, style = (CHECK, "green") if approved else (CROSS, "red")
            outcome = message or str(event.get("status"))
            self.console.print(Text.assemble((f"{mark} ", style), outcome))
        elif kind == "agent_message_delta":
            state.reply += str(event.get("delta") or "")
            if self._live is None:
                self._print_reply()
        elif kind == "agent_done":
            self.finish(event)
            return
        if self._live is not None:
            self._live.update(self._render())

    def ask(self, question: str) -> None:
        """Print a question; the live display stops (its last frame stays) and lines follow."""
        if self._live is not None:
            self._live.stop()
            self._live = None
            self._printed_reply = len(self.state.reply)
        self.console.print(Text(question, style="bold yellow"), end=" ")
        self.console.file.flush()

    def note(self, message: str) -> None:
        """A line about the connection, outside the run's own events."""
        self.console.print(Text(message, style="yellow"))

    def finish(self, event: dict[str, Any] | None = None) -> None:
        """End the run: the full reply, or why there is none."""
        state = self.state
        if state.done:
            return
        state.done = True
        event = event or {}
        if event.get("response") and len(event["response"]) >= len(state.reply):
            state.reply = event["response"]
        for step in state.steps.values():
            if step.ok is None:
                step.ok = False
        if self._live is not None:
            self._live.update(self._render())
            self._live.stop()
        else:
            self._print_reply()
            if state.reply:
                self.console.print()
        if event.get("cancelled"):
            self.console.print(Text("Cancelled.", style="yellow"))
        elif event.get("error") and event.get("error") != state.reply:
            self.console.print(Text(str(event["error"]), style="red"))

    def _print_reply(self) -> None:
        fresh = self.state.reply[self._printed_reply :]
        if fresh:
            self.console.out(fresh, end="", highlight=False)
            self.console.file.flush()
            self._printed_reply = len(self.state.reply)

    def _render(self) -> RenderableType:
        state = self.state
        parts: list[RenderableType] = []
        for step in state.steps.values():
            if step.ok is None:
                parts.append(Spinner("dots", text=step.message, style="cyan"))
            elif step.ok:
                parts.append(Text.assemble((f"{CHECK} ", "green"), step.message))
            else:
                parts.append(Text.assemble((f"{CROSS} ", "red"), step.message))
        if state.reply:
            parts.append(Text(state.reply))
        elif not state.done and not any(step.ok is None for step in state.steps.values()):
            parts.append(Spinner("dots", text=state.thinking, style="dim"))
        return Group(*parts)
