"""Concurrent clients are queued fairly onto the one model."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from convogen.llm.protocol import ModelRequest
from convogen.serving import ModelServer
from convogen.serving.scheduler import ModelScheduler


def ask(text: str) -> ModelRequest:
    return ModelRequest(messages=[{"role": "user", "content": text}])


async def test_eight_concurrent_clients_all_get_their_own_answer(
    server: ModelServer, fake: Any
) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        replies = await asyncio.gather(
            *(
                client.post(
                    "/chat/completions", json={"messages": [{"role": "user", "content": f"q{i}"}]}
                )
                for i in range(8)
            )
        )
    contents = [r.json()["choices"][0]["message"]["content"] for r in replies]
    assert contents == [f"q{i}" for i in range(8)]
    assert len(fake.requests) == 8


async def test_model_runs_one_request_at_a_time(server: ModelServer, fake: Any) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        body = {"messages": [{"role": "user", "content": "x"}]}
        await asyncio.gather(*(client.post("/chat/completions", json=body) for _ in range(8)))
    assert fake.peak == 1


async def test_requests_are_served_in_arrival_order(fake: Any) -> None:
    scheduler = ModelScheduler(fake)
    tasks = [asyncio.create_task(scheduler.complete(ask(f"q{i}"))) for i in range(8)]
    await asyncio.gather(*tasks)
    assert [r.messages[0]["content"] for r in fake.requests] == [f"q{i}" for i in range(8)]
    scheduler.close()


async def test_streams_and_plain_requests_share_one_queue(fake: Any) -> None:
    scheduler = ModelScheduler(fake)

    async def streamed(text: str) -> str:
        parts = [event async for event in scheduler.stream(ask(text))]
        return type(parts[-1]).__name__

    outcomes = await asyncio.gather(
        scheduler.complete(ask("a")), streamed("b"), scheduler.complete(ask("c"))
    )
    assert outcomes[1] == "StreamDone"
    assert [r.messages[0]["content"] for r in fake.requests] == ["a", "b", "c"]
    assert fake.peak == 1
    scheduler.close()


async def test_waiting_counts_queued_requests_and_returns_to_zero(fake: Any) -> None:
    scheduler = ModelScheduler(fake)
    task = asyncio.gather(*(scheduler.complete(ask("q")) for _ in range(3)))
    await asyncio.sleep(0)
    assert scheduler.waiting == 3
    await task
    assert scheduler.waiting == 0
    scheduler.close()
