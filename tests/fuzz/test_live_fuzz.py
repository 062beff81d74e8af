"""Hypothesis over live-event input: WebSocket frames, resume positions on connect, SSE resume.

Whatever arrives, the socket stays open and answers, a stream starts, nothing fails inside.
"""

import json
from urllib.parse import urlencode

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

FUZZ = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
FRAME_TYPES = ["ping", "chat", "cancel", "resume", "auth", "approve", "", "PING"]
text = st.text(max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)
positions = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["²", "١٢", "1e3", " 7", "+1", "0x10", "", "99999999999999999999"]),
    text,
)
header_values = positions.filter(
    lambda v: v == v.strip() and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in v)
)  # anything else is not HTTP, and never reaches the app
frames = st.one_of(
    text,  # not JSON, or JSON that is not an object
    st.builds(json.dumps, json_values),
    st.builds(
        lambda kind, fields: json.dumps({**fields, "type": kind}),
        st.sampled_from(FRAME_TYPES),
        st.dictionaries(
            st.sampled_from(["message", "run_id", "conversation_id", "last_seq", "epoch", "token"]),
            json_values,
        ),
    ),
    st.builds(
        lambda seq, epoch: json.dumps({"type": "resume", "last_seq": seq, "epoch": epoch}),
        positions | json_values,
        text | json_values,
    ),
)


def ws_base(served: str, account: dict) -> str:
    return f"{served.replace('http', 'ws')}/ws/{account['user']['id']}/chat"


def until_pong(socket) -> list[dict]:
    """Events up to the pong that answers our ping; none of them an internal failure."""
    socket.send(json.dumps({"type": "ping"}))
    seen = []
    while (event := json.loads(socket.recv(timeout=60)))["event_type"] != "pong":
        seen.append(event)
        assert event.get("code") != "internal", event
    return seen


def test_any_frame_gets_an_answer_and_the_socket_stays_open(served, account):
    with connect(f"{ws_base(served, account)}?token={account['access_token']}") as socket:
        assert json.loads(socket.recv(timeout=30))["event_type"] == "connection_established"

        @FUZZ
        @given(frame=frames)
        @example(frame=json.dumps({"type": "chat", "message": "a\x00b"}))
        @example(frame=json.dumps({"type": "chat", "message": "\ud800"}))
        @example(frame=json.dumps({"type": "resume", "last_seq": "²", "epoch": ""}))
        @example(frame=json.dumps({"type": "cancel", "run_id": "\x00"}))
        def send(frame: str) -> None:
            socket.send(frame)
            until_pong(socket)

        send()


def test_any_resume_position_on_connect_is_resumed_or_refused_plainly(served, account):
    @FUZZ
    @given(last_seq=positions, epoch=text)
    @example(last_seq="²", epoch="")
    def connect_at(last_seq: str, epoch: str) -> None:
        query = urlencode({"token": account["access_token"], "last_seq": last_seq, "epoch": epoch})
        try:
            with connect(f"{ws_base(served, account)}?{query}") as socket:
                first = json.loads(socket.recv(timeout=30))
                assert first["event_type"] == "connection_established"
                seen = until_pong(socket)
        except ConnectionClosed as closed:
            raise AssertionError(f"closed {closed.rcvd}") from closed
        resumed = [e for e in seen if e["event_type"] == "resumed"]
        assert len(resumed) == 1 and isinstance(resumed[0]["recovered"], bool)

    connect_at()


def test_any_sse_resume_position_starts_a_stream_or_is_a_documented_4xx(served, account):
    url = f"{served}/api/{account['user']['id']}/events"
    bearer = {"Authorization": f"Bearer {account['access_token']}"}

    @FUZZ
    @given(last_event_id=st.none() | header_values, last_seq=st.none() | positions, epoch=text)
    @example(last_event_id="²", last_seq=None, epoch="")
    def stream_from(last_event_id, last_seq, epoch) -> None:
        headers = dict(bearer)
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id.encode()
        params = {"epoch": epoch, **({"last_seq": last_seq} if last_seq is not None else {})}
        with httpx.stream("GET", url, headers=headers, params=params, timeout=30) as response:
            if response.status_code != 200:
                assert response.status_code == 422, response.read()
                assert response.json()["code"] == "invalid"
                return
            for line in response.iter_lines():
                if line.startswith("data: "):
                    assert json.loads(line[6:])["event_type"] == "connection_established"
                    return

    stream_from()
