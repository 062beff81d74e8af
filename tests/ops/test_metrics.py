"""`/metrics` moves with real traffic: HTTP requests, a chat turn, a live connection."""

import gc
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic_ai import Agent
from pydantic_ai.models.test import TestModel

from tasklive.app import create_app
from tasklive.config import Settings
from tasklive.metrics import Metrics
from tests.realtime.conftest import Live, events_until, next_event, open_ws, sqlite_url, ws_url
from tests.support.apps import services_of


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a Prometheus text page, keyed by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(page: dict[tuple[str, frozenset], float], name: str, **labels: str) -> float:
    return page.get((name, frozenset(labels.items())), 0.0)


async def scrape(http: httpx.AsyncClient) -> dict[tuple[str, frozenset], float]:
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


async def test_counters_move_with_real_traffic(live: Live, new_user) -> None:
    user = await new_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    async with httpx.AsyncClient(base_url=live.url, timeout=20) as http:
        before = await scrape(http)
        assert value(before, "tasklive_live_connections") == 0
        async with open_ws(ws_url(live, user)) as ws:
            await next_event(ws)
            opened = await scrape(http)
            assert value(opened, "tasklive_live_connections") == 1

            for _ in range(3):
                assert (await http.get("/api/tasks", headers=headers)).status_code == 200
            missing = await http.get("/api/tasks/no-such-task", headers=headers)
            assert missing.status_code == 404
            reply = await http.post(
                f"/api/{user.id}/chat", json={"message": "Add a task to water the plants"},
                headers=headers,
            )  # fmt: skip
            assert reply.status_code == 200, reply.text
            await events_until(ws, lambda e: e["event_type"] == "agent_done")
        after = await scrape(http)

    get_tasks = {"method": "GET", "route": "/api/tasks", "status": "200"}
    assert value(after, "tasklive_http_requests_total", **get_tasks) == 3
    not_found = {"method": "GET", "route": "/api/tasks/{task_id}", "status": "404"}
    assert value(after, "tasklive_http_requests_total", **not_found) == 1
    chat = {"method": "POST", "route": "/api/{user_id}/chat", "status": "200"}
    assert value(after, "tasklive_http_requests_total", **chat) == 1
    timed = {"method": "GET", "route": "/api/tasks"}
    assert value(after, "tasklive_http_request_duration_seconds_count", **timed) == 3

    assert value(after, "tasklive_turns_total", outcome="completed") == 1
    assert value(after, "tasklive_model_request_duration_seconds_count") >= 1
    assert value(after, "tasklive_turn_duration_seconds_count", outcome="completed") == 1
    assert value(after, "tasklive_turn_duration_seconds_sum", outcome="completed") > 0
    for kind in ("agent_thinking", "task_created", "agent_done"):
        assert value(after, "tasklive_events_published_total", event_type=kind) >= 1
    assert value(after, "tasklive_live_connections") == 0  # closed again


async def test_every_app_has_its_own_registry(settings: Settings) -> None:
    first, second = create_app(settings), create_app(settings)
    async with first.router.lifespan_context(first), second.router.lifespan_context(second):
        services_of(first).metrics.connection_opened()
        assert services_of(first).metrics.registry is not services_of(second).metrics.registry
        exposition = services_of(second).metrics.exposition().decode()
        assert value(samples(exposition), "tasklive_live_connections") == 0


async def test_model_requests_are_timed() -> None:
    metrics = Metrics()
    agent = Agent(metrics.timed(TestModel(custom_output_text="hi")))
    assert (await agent.run("hello")).output == "hi"
    async with agent.run_stream("hello again") as streamed:
        assert await streamed.get_output() == "hi"
    page = samples(metrics.exposition().decode())
    assert value(page, "tasklive_model_request_duration_seconds_count") == 2


async def test_garbage_collections_are_timed_while_the_app_runs(settings: Settings) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        metrics = services_of(app).metrics
        gc.collect()
        page = samples(metrics.exposition().decode())
        assert value(page, "tasklive_gc_pause_seconds_count", generation="2") >= 1
        assert value(page, "tasklive_gc_pause_seconds_sum", generation="2") > 0
    gc.collect()
    after = samples(metrics.exposition().decode())
    counted = value(page, "tasklive_gc_pause_seconds_count", generation="2")
    assert value(after, "tasklive_gc_pause_seconds_count", generation="2") == counted
