"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, speaking real HTTP."""

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Reply = dict[str, Any]
"""One scripted answer: {"status": 500}, {"text": "..."}, {"tool": name, "args": {...}}, or
{"hang": True} (never answers, until the server stops); "after": an asyncio.Event holds the
answer until it is set."""


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "scripted",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


def _stream(reply: Reply, call_number: int) -> bytes:
    chunks = [_chunk({"role": "assistant", "content": ""})]
    if "tool" in reply:
        arguments = json.dumps(reply.get("args", {}))
        half = len(arguments) // 2
        call = {"index": 0, "id": f"call_{call_number}", "type": "function"}
        chunks.append(
            _chunk(
                {
                    "tool_calls": [
                        {**call, "function": {"name": reply["tool"], "arguments": arguments[:half]}}
                    ]
                }
            )
        )
        chunks.append(
            _chunk({"tool_calls": [{"index": 0, "function": {"arguments": arguments[half:]}}]})
        )
        chunks.append(_chunk({}, "tool_calls"))
    else:
        for word in reply["text"].split(" "):
            chunks.append(_chunk({"content": word + " "}))
        chunks.append(_chunk({}, "stop"))
    chunks.append(b"data: [DONE]\n\n")
    return b"".join(chunks)


@dataclass
class ScriptedOpenAI:
    """Answers each POST /v1/chat/completions with the next scripted reply."""

    replies: list[Reply] = field(default_factory=list)
    script: Callable[[dict[str, Any]], Reply] | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def __aenter__(self) -> "ScriptedOpenAI":
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._stopping.set()
        self._server.close()
        await self._server.wait_closed()

    def _next(self, request: dict[str, Any]) -> Reply:
        if self.script is not None:
            return self.script(request)
        return self.replies.pop(0) if self.replies else {"text": "(script exhausted)"}

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            headers = dict(
                line.split(": ", 1) for line in head.decode().split("\r\n")[1:] if ": " in line
            )
            length = int({k.lower(): v for k, v in headers.items()}.get("content-length", 0))
            request = json.loads(await reader.readexactly(length)) if length else {}
            self.requests.append(request)
            self.arrived.set()
            reply = self._next(request)
            if reply.get("hang"):
                await self._stopping.wait()
                return
            if (after := reply.get("after")) is not None:
                await after.wait()
            if "status" in reply:
                body = json.dumps(
                    {"error": {"message": "scripted failure", "type": "server_error"}}
                )
                status = reply["status"]
                writer.write(
                    f"HTTP/1.1 {status} Error\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode()
                )
            else:
                payload = _stream(reply, len(self.requests))
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                    + payload
                )
            await writer.drain()
        finally:
            writer.close()
