"""Translate pydantic-ai run events into tasklive live events, by the contract's run rules."""

import time
from typing import Any

from pydantic_ai.messages import (
    FunctionToolCallEvent,
    FunctionToolResultEvent,
    PartDeltaEvent,
    PartStartEvent,
    RetryPromptPart,
    TextPart,
    TextPartDelta,
    ToolReturnPart,
)

from tasklive.agent.context import TasksChangedEvent, ToolProgressEvent
from tasklive.errors import describe_validation_errors
from tasklive.realtime import events as ev
from tasklive.tasks.events import task_change_events
from tasklive.tasks.tool_calls import completion_fields, starting_message, summarize

Event = dict[str, Any]
DELTA_INTERVAL_SECONDS = 0.05


class RunTranslator:
    """Turns one run's pydantic-ai events into live events and collects the turn's tool calls."""

    def __init__(
        self, run_id: str, conversation_id: str, client_message_id: str | None = None
    ) -> None:
        self.run_id = run_id
        self.conversation_id = conversation_id
        self.client_message_id = client_message_id
        self.open_calls: dict[str, tuple[str, dict[str, Any]]] = {}
        self.tool_calls: list[dict[str, Any]] = []
        self.text = ""
        self.announced = 0
        self.started = False
        self._pending_delta = ""
        self._last_delta_at = 0.0

    def _event(self, event_type: str, message: str, **fields: Any) -> Event:
        return ev.make_event(
            event_type,
            message,
            run_id=self.run_id,
            conversation_id=self.conversation_id,
            **fields,
        )

    def thinking(self) -> Event:
        """The run's first event; it names the message that started the run, for its sender."""
        self.started = True
        return self._event(
            ev.AGENT_THINKING, "Thinking...", client_message_id=self.client_message_id
        )

    def progress(self, text: str) -> list[Event]:
        """A `tool_progress` about the run itself, such as a model retry."""
        return [*self.flush(), self._event(ev.TOOL_PROGRESS, text)]

    def flush(self) -> list[Event]:
        """The reply text held back by coalescing, as one `agent_message_delta`."""
        if not self._pending_delta:
            return []
        delta, self._pending_delta = self._pending_delta, ""
        self._last_delta_at = time.monotonic()
        return [self._event(ev.AGENT_MESSAGE_DELTA, "Writing a reply...", delta=delta)]

    def translate(self, event: Any) -> list[Event]:
        """The live events for one pydantic-ai event (often none); deltas at most every 50 ms."""
        delta = _text_delta(event)
        if delta is not None:
            self.text += delta
            self._pending_delta += delta
            if time.monotonic() - self._last_delta_at < DELTA_INTERVAL_SECONDS:
                return []
            return self.flush()
        events = self._translate(event)
        return [*self.flush(), *events] if events else events

    def _translate(self, event: Any) -> list[Event]:
        if isinstance(event, FunctionToolCallEvent):
            return [self._tool_starting(event)]
        if isinstance(event, ToolProgressEvent):
            return [
                self._event(
                    ev.TOOL_PROGRESS,
                    event.text,
                    tool=event.tool_name,
                    tool_call_id=event.tool_call_id,
                )
            ]
        if isinstance(event, TasksChangedEvent):
            self.announced += len(event.changes)
            return task_change_events(
                event.changes, run_id=self.run_id, conversation_id=self.conversation_id
            )
        if isinstance(event, FunctionToolResultEvent):
            return [self._tool_finished(event)]
        return []

    def _tool_starting(self, event: FunctionToolCallEvent) -> Event:
        tool = event.part.tool_name
        try:
            args = event.part.args_as_dict()
        except ValueError:
            args = {}
        self.open_calls[event.tool_call_id] = (tool, args)
        message = starting_message(tool)
        return self._event(
            ev.TOOL_STARTING, message, tool=tool, tool_call_id=event.tool_call_id, args=args
        )

    def _tool_finished(self, event: FunctionToolResultEvent) -> Event:
        call_id = event.tool_call_id
        tool, args = self.open_calls.pop(call_id, (event.part.tool_name or "tool", {}))
        content = event.part.content if isinstance(event.part, ToolReturnPart) else None
        rejection = rejected_arguments(event.part)
        if rejection is not None:
            content = {"ok": False, "error": rejection}
        if not isinstance(content, dict):
            content = {"ok": False, "error": f"I couldn't use {tool} with those details."}
        summary = summarize(tool, args, content)
        self.tool_calls.append(
            {"tool": tool, "args": args, "ok": bool(content.get("ok")), "summary": summary}
        )
        if content.get("ok"):
            return self._event(
                ev.TOOL_COMPLETE,
                summary,
                tool=tool,
                tool_call_id=call_id,
                result=content,
                **completion_fields(tool, content),
            )
        return self._event(ev.TOOL_ERROR, summary, tool=tool, tool_call_id=call_id, error=summary)

    def replay(self, events: list[Event]) -> None:
        """Take up the state of this run from its published events (another process's)."""
        for event in events:
            if event.get("run_id") != self.run_id:
                continue
            kind, call_id = event.get("event_type"), event.get("tool_call_id")
            if kind == ev.AGENT_THINKING:
                self.started = True
            elif kind == ev.TOOL_STARTING and call_id:
                self.open_calls[call_id] = (event.get("tool") or "tool", {})
            elif kind in (ev.TOOL_COMPLETE, ev.TOOL_ERROR) and call_id:
                self.open_calls.pop(call_id, None)

    def close_open_calls(self, reason: str) -> list[Event]:
        """A `tool_error` for every tool call that started but never finished."""
        closing = [
            self._event(ev.TOOL_ERROR, reason, tool=tool, tool_call_id=call_id, error=reason)
            for call_id, (tool, _) in self.open_calls.items()
        ]
        self.open_calls.clear()
        return closing

    def approval_required(
        self, approval_id: str, tool: str, args: dict[str, Any], tool_call_id: str, question: str
    ) -> Event:
        """A card asking the user to approve or deny a tool call."""
        return self._event(
            ev.APPROVAL_REQUIRED,
            question,
            approval_id=approval_id,
            tool=tool,
            args=args,
            tool_call_id=tool_call_id,
        )

    def approval_resolved(
        self, approval_id: str, tool: str, tool_call_id: str, status: str
    ) -> Event:
        """The answer to an approval card, for every tab."""
        approved = status == "approved"
        message = "Approved" if approved else f"Not approved ({status})"
        return self._event(
            ev.APPROVAL_RESOLVED,
            message,
            approval_id=approval_id,
            approved=approved,
            status=status,
            tool=tool,
            tool_call_id=tool_call_id,
        )

    def done(
        self,
        response: str,
        *,
        error: str | None = None,
        cancelled: bool = False,
        code: str | None = None,
    ) -> Event:
        """The run's last event; a failed run's carries the `code` its POST's error body has."""
        if cancelled:
            message = "Cancelled"
        elif error:
            message = "Something went wrong"
        else:
            message = "Done"
        event = self._event(ev.AGENT_DONE, message, response=response, cancelled=cancelled)
        event["error"] = error
        if error and code:
            event["code"] = code
        return event


def rejected_arguments(part: Any) -> str | None:
    """Why a tool call's arguments were refused, when the part is pydantic-ai's retry of it."""
    retried = isinstance(part, RetryPromptPart) or (
        isinstance(part, ToolReturnPart) and part.outcome == "retried"
    )
    if retried and isinstance(part.content, list):
        return describe_validation_errors(part.content)
    return None


def _text_delta(event: Any) -> str | None:
    """The reply text an event adds, or None when it is not reply text."""
    if isinstance(event, PartStartEvent) and isinstance(event.part, TextPart):
        return event.part.content or None
    if isinstance(event, PartDeltaEvent) and isinstance(event.delta, TextPartDelta):
        return event.delta.content_delta or None
    return None
