"""The address a push is sent to is checked when connecting, not only when subscribing: a host
that later resolves to a loopback or private address (DNS rebinding) is never contacted."""

import asyncio

from tasklive.config import Settings
from tasklive.tasks.notify.vapid import VapidSigner
from tasklive.tasks.notify.webpush import Target, WebPusher, push_client
from tests.support.push_service import push_recorder


async def test_a_push_to_a_host_that_resolves_to_loopback_is_not_sent(tmp_path):
    signer = VapidSigner.from_settings(Settings(_env_file=None, data_dir=tmp_path))
    async with push_recorder() as recorder:
        sub = recorder.subscribe()
        endpoint = sub["endpoint"].replace("127.0.0.1", "localhost")
        target = Target("s1", endpoint, sub["keys"]["p256dh"], sub["keys"]["auth"])
        deadline = asyncio.get_running_loop().time() + 5
        for allow_private, status in ((False, "failed"), (True, "sent")):
            async with push_client(allow_private=allow_private, timeout=5) as client:
                pusher = WebPusher(client, signer, ttl=60, backoff=0.01)
                result = await pusher.send(target, {"task_id": "t1"}, "t1", deadline)
            assert result.status == status
    assert len(recorder.received) == 1
