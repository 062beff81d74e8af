"""A tiny deterministic FunctionModel for chat tests: "add X" calls add_task, else it echoes."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from pydantic_ai.messages import ModelMessage, ModelRequest, ToolReturnPart, UserPromptPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel


def last_prompt(messages: list[ModelMessage]) -> str:
    """The text of the newest user prompt the model was given."""
    for message in reversed(messages):
        if isinstance(message, ModelRequest):
            for part in message.parts:
                if isinstance(part, UserPromptPart):
                    return str(part.content)
    return ""


@dataclass
class EchoModel:
    """Records what it was given; may hold each reply until `gate` is set."""

    seen: list[list[ModelMessage]] = field(default_factory=list)
    gate: asyncio.Event | None = None
    started: asyncio.Event = field(default_factory=asyncio.Event)

    @staticmethod
    def after_tools(returns: list[ToolReturnPart]) -> str:
        if len(returns) > 1:
            return "Done."
        result, tool = returns[0].content, returns[0].tool_name
        if not isinstance(result, dict) or not result.get("ok"):
            return str(result.get("error") if isinstance(result, dict) else result)
        verb = "Created" if tool == "add_task" else "Updated"
        return f"{verb} #{result['task']['number']}" if "task" in result else "Done."

    def model(self) -> FunctionModel:
        return FunctionModel(stream_function=self.stream, model_name="echo")

    async def stream(self, messages: list[ModelMessage], _: AgentInfo) -> AsyncIterator[Any]:
        self.seen.append(list(messages))
        self.started.set()
        returns = [p for p in messages[-1].parts if isinstance(p, ToolReturnPart)]
        if returns:
            for word in self.after_tools(returns).split(" "):
                yield word + " "
            return
        prompt = last_prompt(messages)
        if self.gate is not None:
            yield "Working "
            await self.gate.wait()
        if prompt.lower().startswith("add "):
            args = json.dumps({"title": prompt[4:]})
            yield {0: DeltaToolCall(name="add_task", json_args=args, tool_call_id="call-add")}
            return
        if prompt.startswith("call "):
            calls = json.loads(prompt[5:])
            yield {
                index: DeltaToolCall(
                    name=tool, json_args=json.dumps(args), tool_call_id=f"call-{index}"
                )
                for index, (tool, args) in enumerate(calls)
            }
            return
        if prompt.lower().startswith("done "):
            args = json.dumps({"number": int(prompt.split()[1])})
            yield {0: DeltaToolCall(name="complete_task", json_args=args, tool_call_id="call-done")}
            return
        for word in f"You said: {prompt}".split(" "):
            yield word + " "
