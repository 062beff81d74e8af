"""`tasklive chat`: send each line as a chat message and show the run live."""

import asyncio
import contextlib
import signal
import uuid
from typing import Any

from rich.console import Console
from rich.text import Text

from tasklive.errors import AuthenticationError, TaskliveError
from tasklive.terminal import slash
from tasklive.terminal.connection import RECONNECTED, EventStream
from tasklive.terminal.input import LineReader
from tasklive.terminal.login import sign_in_interactively
from tasklive.terminal.service import ServiceClient
from tasklive.terminal.view import CHECK, CROSS, RunView

INTERRUPT = "interrupt"  # local marker: Ctrl-C was pressed during a run
ANSWER = "answer"  # local marker: the user answered an approval question


class ChatSession:
    """One user chatting through one event stream (or plain POSTs when there is none)."""

    def __init__(
        self,
        service: ServiceClient,
        user: dict[str, Any],
        console: Console,
        interactive: bool,
        conversation_id: str | None = None,
    ) -> None:
        self.service = service
        self.user_id: str = user["id"]
        self.console = console
        self.interactive = interactive
        self.conversation_id = conversation_id
        self.stream: EventStream | None = None
        self.lines = LineReader()
        self.in_turn = False
        self.interrupts = 0
        self._post_task: asyncio.Task[Any] | None = None
        self._asking: asyncio.Task[None] | None = None

    async def run(self) -> int:
        """Chat until end of input, /quit, or Ctrl-C at the prompt (twice during a run)."""
        try:
            self.stream = EventStream(self.service, self.user_id)
            await self.stream.start()
        except AuthenticationError:
            raise
        except Exception:
            self.stream = None
            self.console.print(Text("Live events are unavailable; replies arrive whole.", "yellow"))
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, self._on_interrupt)
        self.lines.start()
        try:
            while True:
                if self.interactive:
                    self.console.print(Text("you> ", style="bold"), end="")
                line = await self.lines.readline()
                if line is None:
                    return 0
                line = line.strip()
                if not line:
                    continue
                if slash.is_local(line):
                    if self._local_command(line):
                        return 0
                    continue
                line = line.removeprefix("/")  # "//x" sends "/x"
                self.in_turn, self.interrupts = True, 0
                try:
                    finished = await (
                        self._turn_live(line) if self.stream else self._turn_post(line)
                    )
                finally:
                    self.in_turn = False
                if not finished:
                    return 130
        finally:
            loop.remove_signal_handler(signal.SIGINT)
            self.lines.stop()
            if self.stream is not None:
                await self.stream.close()

    def _local_command(self, line: str) -> bool:
        """Answer a /command here; True when it ends the session."""
        word = line.split()[0].lower()
        if word in slash.QUIT:
            return True
        if word in slash.HELP:
            slash.show_help(self.console)
        elif word == slash.NEW:
            self.conversation_id = None
            self.console.print(Text("New conversation.", style="dim"))
        else:
            slash.unknown(self.console, line)
        return False

    def _on_interrupt(self) -> None:
        if not self.in_turn:
            self.lines.close()
            return
        self.interrupts += 1
        if self.stream is not None:
            self.stream.events.put_nowait({"event_type": INTERRUPT})
        elif self._post_task is not None:
            self._post_task.cancel()

    async def _turn_live(self, text: str) -> bool:
        """One message over the WebSocket; False when the user quit mid-run."""
        assert self.stream is not None
        frame = self._chat_frame(text)
        while not self.stream.events.empty():  # what arrived between turns is not this turn's
            stale = self.stream.events.get_nowait()
            if stale.get("fatal"):
                raise AuthenticationError(str(stale.get("message")))
        if not self.stream.connected.is_set():
            self.console.print(Text("Reconnecting to the service...", "yellow"))
        sent_on = await self.stream.send(frame)
        view = RunView(self.console, live=self.interactive)
        try:
            return await self._follow(frame, view, sent_on)
        finally:
            if self._asking is not None:
                self._asking.cancel()
                self._asking = None

    async def _follow(self, frame: dict[str, Any], view: RunView, sent_on: int) -> bool:
        """Show this turn's events until its agent_done; False when the user quit mid-run."""
        assert self.stream is not None
        run_id: str | None = None
        typed: dict[str, Any] | None = None  # a line typed at the approval question
        following: dict[str, Any] | None = None  # that line, when it runs as its own turn
        while True:
            event = await self.stream.events.get()
            kind = event.get("event_type")
            if kind == INTERRUPT:
                if self.interrupts >= 2:
                    view.finish({"cancelled": True})
                    return False
                view.note("Cancelling... (Ctrl-C again to quit)")
                if run_id:
                    await self.stream.send({"type": "cancel", "run_id": run_id})
            elif kind == RECONNECTED:
                view.note("Connection lost; reconnected, catching up...")
            elif kind == "resumed":
                if run_id is None and sent_on < self.stream.generation:
                    # Sent on a connection that dropped: again, with the same client_message_id.
                    sent_on = await self.stream.send(frame)
                elif not event.get("recovered") and await self._recover(view, run_id):
                    return True
            elif kind == "error" and event.get("fatal"):
                view.finish({"error": event.get("message")})
                raise AuthenticationError(str(event.get("message")))
            elif kind == "error" and run_id is None and not event.get("run_id"):
                view.finish({"error": event.get("error") or event.get("message")})
                return True  # the service refused the message (limit, length, conversation)
            elif run_id is None and kind == "agent_thinking" and self._is_mine(event, frame):
                run_id = event.get("run_id")
                self.conversation_id = event.get("conversation_id") or self.conversation_id
                view.show(event)
                if self.interrupts and run_id:
                    await self.stream.send({"type": "cancel", "run_id": run_id})
            elif kind == ANSWER:
                self._asking = None
                line = str(event.get("line") or "").strip()
                if line:
                    # Typed words go as a message: the service reads a yes or no as the answer,
                    # and anything else as a new message that sets the question aside.
                    typed = self._chat_frame(line)
                    await self.stream.send(typed)
                else:
                    answer = {"type": "approve", "approval_id": event["approval_id"]}
                    await self.stream.send({**answer, "approved": False})
            elif run_id is not None and event.get("run_id") == run_id:
                if kind == "approval_required":
                    self._ask_approval(view, event)
                elif kind == "approval_resolved" and self._asking is not None:
                    self._asking.cancel()  # answered here, or in another tab
                    self._asking = None
                    self.console.print()
                if kind == "approval_resolved" and event.get("status") == "superseded":
                    following = typed
                view.show(event)
                if kind == "agent_done":
                    if following is not None:
                        view = RunView(self.console, live=self.interactive)
                        return await self._follow(following, view, self.stream.generation)
                    return True

    def _chat_frame(self, text: str) -> dict[str, Any]:
        frame: dict[str, Any] = {
            "type": "chat",
            "message": text,
            "client_message_id": uuid.uuid4().hex,
        }
        if self.conversation_id:
            frame["conversation_id"] = self.conversation_id
        return frame

    def _ask_approval(self, view: RunView, event: dict[str, Any]) -> None:
        """Ask y/N; the answer comes back through the event queue as an ANSWER marker."""
        assert self.stream is not None
        events = self.stream.events
        view.ask(f"{event.get('message') or ''} Approve {event.get('tool')}? [y/N]".strip())

        async def answer() -> None:
            line = await self.lines.readline()
            if line is None:
                self.lines.close()  # end of input: the answer is no, and the session ends after
            events.put_nowait(
                {"event_type": ANSWER, "approval_id": event["approval_id"], "line": line}
            )

        self._asking = asyncio.create_task(answer())

    def _is_mine(self, event: dict[str, Any], frame: dict[str, Any]) -> bool:
        if event.get("client_message_id"):
            return bool(event["client_message_id"] == frame["client_message_id"])
        return self.conversation_id is None or event.get("conversation_id") == self.conversation_id

    async def _recover(self, view: RunView, run_id: str | None) -> bool:
        """After missed events, the stored reply for this run, if it is there yet."""
        if not self.conversation_id:
            return False
        try:
            messages = await self.service.messages(self.user_id, self.conversation_id)
        except TaskliveError:
            return False
        for message in messages:
            if message.get("role") == "assistant" and message.get("run_id") == run_id:
                view.finish({"response": message["content"]})
                return True
        return False

    async def _turn_post(self, text: str) -> bool:
        """One message over POST /api/{user_id}/chat, when there is no live stream."""
        self._post_task = asyncio.create_task(
            self.service.chat(self.user_id, text, self.conversation_id, uuid.uuid4().hex)
        )
        try:
            with (
                self.console.status("Thinking...", spinner="dots")
                if self.interactive
                else contextlib.nullcontext()
            ):
                result = await self._post_task
        except asyncio.CancelledError:
            self.console.print(
                Text("Stopped waiting; the turn may still finish on the server.", "yellow")
            )
            return False
        except TaskliveError as exc:
            self.console.print(Text(exc.message, style="red"))
            return True
        self.conversation_id = result.get("conversation_id") or self.conversation_id
        if result.get("approval_id") and "response" not in result:
            return await self._approve_over_http(result)
        for call in result.get("tool_calls") or []:
            mark = (CHECK, "green") if call.get("ok") else (CROSS, "red")
            self.console.print(Text.assemble((f"{mark[0]} ", mark[1]), str(call.get("summary"))))
        self.console.print(result.get("response") or "", highlight=False)
        return True

    async def _approve_over_http(self, accepted: dict[str, Any]) -> bool:
        """A turn waiting on an approval, without live events: ask, answer, point at the reply."""
        self.console.print(Text("Approve this bulk change? [y/N]", style="bold yellow"), end=" ")
        line = await self.lines.readline()
        if line is not None and line.strip():
            return await self._turn_post(line.strip())  # the service reads it as the answer or not
        try:
            answered = await self.service.approve(self.user_id, accepted["approval_id"], False)
        except TaskliveError as exc:
            self.console.print(Text(exc.message, style="red"))
            return True
        status = str(answered.get("status", "")).capitalize()
        self.console.print(Text(f"{status}; the reply follows in the chat.", "dim"))
        return line is not None


async def run_chat(
    url: str, token: str | None, conversation_id: str | None, console: Console, interactive: bool
) -> int:
    """Connect as the token's user (or sign in) and chat; returns the exit status."""
    async with ServiceClient(url, token) as service:
        if token:
            user = await service.current_user()
        elif interactive:
            user = await sign_in_interactively(service, console)
        else:
            raise AuthenticationError(
                "Give --token (or TASKLIVE_TOKEN) when input is not a terminal."
            )
        if interactive:
            console.print(
                Text.assemble(
                    ("Signed in as ", "dim"),
                    (user["email"], "bold"),
                    (". Type a message, or /help; Ctrl-C cancels a run, twice quits.", "dim"),
                )
            )
        session = ChatSession(service, user, console, interactive, conversation_id)
        return await session.run()
