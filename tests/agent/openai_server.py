"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, speaking real HTTP."""

import asyncio
import json
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Reply = dict[str, Any]
"""One scripted answer: {"status": 500}, {"text": "..."}, {"tool": name, "args": {...}}, or
{"hang": True} (never answers, until the server stops); "after": an asyncio.Event holds the
answer until it is set."""

LLAMA_CPP = "llama_cpp"
"""Like llama-cpp-python 0.3.x with chatml-function-calling: a streamed request with
`tool_choice: "auto"` whose answer is a tool call answers 200, then the stream fails before its
first chunk (the server picks text or a tool unstreamed, then raises "Automatic streaming tool
choice is not supported"); a text answer streams. An assistant message whose `content` is null
(beside its tool calls) is refused with 500, as its request validation does."""
TOOL_CALL_WITHOUT_INDEX = "tool_call_without_index"
"""A streamed tool call comes whole in one chunk whose tool call has no `index`."""
REJECTS_STREAM_OPTIONS = "rejects_stream_options"
"""A request with `stream_options` is refused with 400, as some gateways do."""
EMPTY_STREAM = "empty_stream"
"""A streamed request answers 200 with a role-only chunk and then [DONE]: nothing."""


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "scripted",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


def _tool_call(reply: Reply, call_number: int) -> dict[str, Any]:
    arguments = json.dumps(reply.get("args", {}))
    function = {"name": reply["tool"], "arguments": arguments}
    return {"id": f"call_{call_number}", "type": "function", "function": function}


def _stream(reply: Reply, call_number: int, quirks: set[str]) -> bytes:
    chunks = [_chunk({"role": "assistant", "content": ""})]
    if "tool" in reply:
        call = _tool_call(reply, call_number)
        if TOOL_CALL_WITHOUT_INDEX in quirks:
            chunks.append(_chunk({"tool_calls": [call]}))
        else:
            arguments = call["function"]["arguments"]
            half = len(arguments) // 2
            first = {**call, "index": 0, "function": {**call["function"]}}
            first["function"]["arguments"] = arguments[:half]
            rest = {"index": 0, "function": {"arguments": arguments[half:]}}
            chunks += [_chunk({"tool_calls": [first]}), _chunk({"tool_calls": [rest]})]
        chunks.append(_chunk({}, "tool_calls"))
    else:
        for word in reply["text"].split(" "):
            chunks.append(_chunk({"content": word + " "}))
        chunks.append(_chunk({}, "stop"))
    chunks.append(b"data: [DONE]\n\n")
    return b"".join(chunks)


def _completion(reply: Reply, call_number: int) -> bytes:
    message: dict[str, Any] = {"role": "assistant", "content": reply.get("text")}
    if "tool" in reply:
        message["tool_calls"] = [_tool_call(reply, call_number)]
    body = {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted",
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if "tool" in reply else "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    return json.dumps(body).encode()


def _error(status: int, message: str) -> bytes:
    body = json.dumps({"error": {"message": message, "type": "server_error"}})
    return (
        f"HTTP/1.1 {status} Error\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
    ).encode()


@dataclass
class ScriptedOpenAI:
    """Answers each POST /v1/chat/completions with the next scripted reply.

    A request with `stream` gets server-sent chunks, one without a JSON completion; `quirks`
    make it behave like servers people run (the constants above).
    """

    replies: list[Reply] = field(default_factory=list)
    script: Callable[[dict[str, Any]], Reply] | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    quirks: set[str] = field(default_factory=set)
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

    def _refusal(self, request: dict[str, Any]) -> bytes | None:
        """What a quirky server answers instead of running the model, if it does."""
        streamed = bool(request.get("stream"))
        messages = request.get("messages") or []
        null_content = any(
            m.get("role") == "assistant" and m.get("content") is None for m in messages
        )
        if LLAMA_CPP in self.quirks and null_content:
            return _error(500, "7 validation errors: messages.2.content: Input should be a string")
        if REJECTS_STREAM_OPTIONS in self.quirks and "stream_options" in request:
            return _error(400, "property 'stream_options' is unsupported")
        if EMPTY_STREAM in self.quirks and streamed:
            payload = _chunk({"role": "assistant", "content": ""}) + b"data: [DONE]\n\n"
            return (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                + payload
            )
        return None

    def _llama_cpp_fails(self, request: dict[str, Any], reply: Reply) -> bool:
        """Whether llama-cpp-python would fail this stream; the reply then stays next."""
        if not (LLAMA_CPP in self.quirks and request.get("stream") and "tool" in reply):
            return False
        if request.get("tool_choice") != "auto":
            return False
        if self.script is None:
            self.replies.insert(0, reply)
        return True

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
            refusal = self._refusal(request)
            if refusal is not None:
                writer.write(refusal)
                await writer.drain()
                return
            reply = self._next(request)
            if self._llama_cpp_fails(request, reply):
                # Headers go out, then the server's generator raises and the connection is
                # reset (as uvicorn does under llama-cpp-python 0.3.36): the stream breaks off.
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n"
                )
                await writer.drain()
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if reply.get("hang"):
                await self._stopping.wait()
                return
            if (after := reply.get("after")) is not None:
                await after.wait()
            if "status" in reply:
                writer.write(_error(reply["status"], reply.get("message", "scripted failure")))
            elif request.get("stream"):
                payload = _stream(reply, len(self.requests), self.quirks)
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                    + payload
                )
            else:
                payload = _completion(reply, len(self.requests))
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                    + payload
                )
            await writer.drain()
        finally:
            writer.close()
