"""`tasklive serve` itself: live events over a real process, token-free logs, 1001 on SIGTERM."""

import signal
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import SECRET
from tests.realtime.conftest import next_event, open_ws
from tests.support.service import ServiceProcess

pytestmark = pytest.mark.slow


async def test_serve_process(tmp_path: Path) -> None:
    env = {
        "TASKLIVE_DATA_DIR": str(tmp_path / "data"),
        "TASKLIVE_SECRET_KEY": SECRET,
        "TASKLIVE_BROKER_URL": "memory://",
    }
    log = tmp_path / "serve.log"
    service = ServiceProcess(env, log_path=log).start()
    try:
        async with httpx.AsyncClient(base_url=service.url, timeout=10) as http:
            body = {"email": "proc@example.com", "password": "correct horse"}
            account = (await http.post("/api/auth/sign-up", json=body)).json()
            token, user_id = account["access_token"], account["user"]["id"]
            headers = {"Authorization": f"Bearer {token}"}
            async with open_ws(f"{service.ws_url}/ws/{user_id}/chat?token={token}") as ws:
                assert (await next_event(ws))["event_type"] == "connection_established"
                created = await http.post("/api/tasks", json={"title": "x"}, headers=headers)
                assert created.status_code == 201
                event = await next_event(ws)
                assert (event["event_type"], event["seq"]) == ("task_created", 1)
                assert service.process is not None
                service.process.send_signal(signal.SIGTERM)  # a graceful stop
                with pytest.raises(ConnectionClosed):
                    await next_event(ws)
                assert ws.close_code == 1001
        service.process.wait(15)
    finally:
        service.stop()
    text = log.read_text()
    assert f"/ws/{user_id}/chat?token=[redacted]" in text
    assert token not in text
