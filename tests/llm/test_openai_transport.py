"""The HTTP transport under the SDK: aiohttp by default, httpx without it, pools closed cleanly."""

from __future__ import annotations

import asyncio
from typing import Any

import openai
import pytest
from llm_test_support import entry

from convogen.llm import openai_client
from convogen.llm.openai_client import OpenAIClient
from convogen.llm.pricing import PRICE_PER_1K, model_price
from convogen.llm.protocol import ModelRequest

REQUEST = ModelRequest([{"role": "user", "content": "x"}])


def test_aiohttp_is_the_default_transport_when_installed() -> None:
    assert openai_client.aiohttp_available()
    client = openai_client._http_client(4)
    assert isinstance(client, openai.DefaultAioHttpClient)


def test_httpx_is_the_transport_without_aiohttp(
    server_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(openai_client, "aiohttp_available", lambda: False)
    http = openai_client._http_client(4)
    assert not isinstance(http, openai.DefaultAioHttpClient)
    server = server_factory(replies=["over httpx"])
    response = asyncio.run(OpenAIClient(entry(server)).create(REQUEST))
    assert response.text == "over httpx"


def test_an_endpoint_with_credentials_in_its_url_keeps_httpx(server_factory: Any) -> None:
    # aiohttp refuses URL credentials next to the SDK's Authorization header.
    assert not isinstance(openai_client._http_client(4, True), openai.DefaultAioHttpClient)
    server = server_factory(replies=["through a proxy URL"])
    config = entry(server)
    config["base_url"] = config["base_url"].replace("://", "://proxyuser:s3cretPw9@", 1)
    response = asyncio.run(OpenAIClient(config).create(REQUEST))
    assert response.text == "through a proxy URL"


def _sdk_client_after_one_request(client: OpenAIClient) -> Any:
    async def run() -> Any:
        await client.create(REQUEST)
        return (await client._loop_state()).client

    return asyncio.run(run())


def test_shared_pool_is_closed_when_asyncio_run_ends(server_factory: Any) -> None:
    server = server_factory(replies=["a"])
    sdk_client = _sdk_client_after_one_request(OpenAIClient(entry(server)))
    assert sdk_client.is_closed()


def test_clients_of_one_endpoint_share_one_sdk_client_per_loop(server_factory: Any) -> None:
    server = server_factory(replies=["a", "b"])

    async def run() -> bool:
        first, second = OpenAIClient(entry(server)), OpenAIClient(entry(server))
        await asyncio.gather(first.create(REQUEST), second.create(REQUEST))
        return (await first._loop_state()) is (await second._loop_state())

    assert asyncio.run(run())


def test_concurrent_requests_beyond_max_connections_all_complete(server_factory: Any) -> None:
    server = server_factory(replies=[str(i) for i in range(30)])
    client = OpenAIClient(entry(server, max_connections=2))

    async def run() -> list[str | None]:
        responses = await asyncio.gather(*(client.create(REQUEST) for _ in range(30)))
        return [r.text for r in responses]

    assert sorted(asyncio.run(run()), key=lambda text: int(text or 0)) == [
        str(i) for i in range(30)
    ]


def test_price_table_edits_are_seen_after_a_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    assert model_price("my-model-2024-01-01") is None
    monkeypatch.setitem(PRICE_PER_1K, "my-model", (1.0, 2.0))
    assert model_price("my-model-2024-01-01") == (1.0, 2.0)
