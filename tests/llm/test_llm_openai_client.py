"""OpenAIClient through the real HTTP path against the local test server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from llm_test_support import entry

from convogen.errors import ConfigError
from convogen.llm.errors import (
    AuthenticationError,
    BadRequestError,
    BadResponseError,
    ContentFilterError,
    ModelConnectionError,
    ModelTimeoutError,
    RateLimitError,
    ServerError,
)
from convogen.llm.openai_client import OpenAIClient, to_api_messages
from convogen.llm.protocol import ModelRequest
from convogen.llm.test_server import Fault, OpenAICompatibleTestServer
from convogen.messages import Message

TOOL_CALL = {
    "id": "call_1",
    "type": "function",
    "function": {"name": "add", "arguments": '{"a": 1, "b": 2}'},
}


async def test_completion_with_usage_and_cost(server_factory: Any) -> None:
    server = server_factory(replies=["four words right here"])
    client = OpenAIClient(entry(server, "gpt-4o-2024-08-06"))
    response = await client.create(ModelRequest([{"role": "user", "content": "two words"}]))
    assert response.text == "four words right here"
    assert response.model == "gpt-4o-2024-08-06"
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (2, 4)
    # gpt-4o: $0.0025 / $0.01 per 1K tokens; the dated name maps to the base model.
    assert response.cost == pytest.approx((2 * 0.0025 + 4 * 0.01) / 1000)
    assert response.cached is False
    assert server.headers[0]["authorization"] == "Bearer test-key"


async def test_messages_are_converted_and_params_sent(server_factory: Any) -> None:
    server = server_factory(replies=["ok"])
    client = OpenAIClient(entry(server))
    messages: list[Message] = [
        {"role": "user", "content": "hi", "context": {"secret": 1}},
        {"role": "assistant", "content": None, "tool_calls": [TOOL_CALL]},  # type: ignore[list-item]
        {
            "role": "tool",
            "content": "3",
            "tool_responses": [{"tool_call_id": "call_1", "role": "tool", "content": "3"}],
        },
    ]
    params = {
        "temperature": 0.2,
        "max_tokens": 50,
        "seed": 7,
        "stop": ["END"],
        "tools": [{"type": "function", "function": {"name": "add", "parameters": {}}}],
        "tool_choice": "auto",
        "top_k": 5,  # not an SDK parameter: travels in the body for vLLM-style servers
    }
    await client.create(ModelRequest(messages, params))
    body = server.requests[0]
    assert body["messages"] == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": None, "tool_calls": [TOOL_CALL]},
        {"role": "tool", "tool_call_id": "call_1", "content": "3"},
    ]
    assert body["model"] == "gpt-4o"
    for key, value in params.items():
        assert body[key] == value


def test_to_api_messages_defaults() -> None:
    assert to_api_messages([{"content": "x"}]) == [{"role": "user", "content": "x"}]


async def test_tool_calls_and_multiple_choices(server_factory: Any) -> None:
    server = server_factory(
        replies=[{"choices": [{"content": None, "tool_calls": [TOOL_CALL]}, "second"]}]
    )
    client = OpenAIClient(entry(server))
    response = await client.create(ModelRequest([{"role": "user", "content": "add"}], {"n": 2}))
    assert response.choices[0]["tool_calls"] == [TOOL_CALL]
    assert response.choices[0]["content"] is None
    assert response.choices[1]["content"] == "second"


async def test_unknown_model_has_unknown_cost_and_price_override(server_factory: Any) -> None:
    server = server_factory(replies=["a b", "a b"])
    unknown = await OpenAIClient(entry(server, "my-local-llama")).create(
        ModelRequest([{"role": "user", "content": "x"}])
    )
    assert unknown.cost is None
    priced = await OpenAIClient(entry(server, "my-local-llama", price=[1.0, 2.0])).create(
        ModelRequest([{"role": "user", "content": "x"}])
    )
    assert priced.cost == pytest.approx((1 * 1.0 + 2 * 2.0) / 1000)


async def test_azure_routes_to_deployment_with_api_version(server_factory: Any) -> None:
    server = server_factory(replies=["azure says hi"])
    endpoint = server.base_url.removesuffix("/v1")
    client = OpenAIClient(
        {
            "model": "gpt-35-turbo",
            "api_type": "azure",
            "api_version": "2024-06-01",
            "base_url": endpoint,
            "api_key": "az-key",
        }
    )
    response = await client.create(ModelRequest([{"role": "user", "content": "hi"}]))
    assert response.text == "azure says hi"
    assert server.paths[0].startswith("/openai/deployments/gpt-35-turbo/chat/completions")
    assert "api-version=2024-06-01" in server.paths[0]
    assert server.headers[0]["api-key"] == "az-key"
    assert response.cost is not None  # gpt-35-turbo is priced as gpt-3.5-turbo


def test_azure_without_api_version_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="api_version"):
        OpenAIClient({"model": "gpt-4o", "api_type": "azure", "base_url": "http://x"})


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        (Fault.server_error(500), ServerError, 500),
        (Fault.server_error(503), ServerError, 503),
        (Fault.bad_request(400), BadRequestError, 400),
        (Fault.bad_request(401), AuthenticationError, 401),
        (Fault.bad_request(400, code="content_filter"), ContentFilterError, 400),
        (Fault.malformed(), BadResponseError, None),
        (Fault.malformed('{"not": "a completion"}'), BadResponseError, None),
        (Fault.reset(), ModelConnectionError, None),
    ],
)
async def test_sdk_errors_are_mapped(
    server_factory: Any, fault: Fault, error: type[Exception], status: int | None
) -> None:
    server = server_factory(faults=[fault])
    client = OpenAIClient(entry(server))
    with pytest.raises(error) as info:
        await client.create(ModelRequest([{"role": "user", "content": "x"}]))
    assert getattr(info.value, "status", None) == status
    assert getattr(info.value, "model", None) == "gpt-4o"


async def test_rate_limit_carries_retry_after(server_factory: Any) -> None:
    server = server_factory(faults=[Fault.rate_limit(retry_after=7)])
    with pytest.raises(RateLimitError) as info:
        await OpenAIClient(entry(server)).create(ModelRequest([{"content": "x"}]))
    assert info.value.retry_after == 7.0
    assert info.value.status == 429
    assert info.value.retryable


async def test_timeout_and_refused_connection(server_factory: Any) -> None:
    server = server_factory(faults=[Fault.slow(5)])
    with pytest.raises(ModelTimeoutError):
        await OpenAIClient(entry(server, timeout=0.2)).create(ModelRequest([{"content": "x"}]))
    # Per-request timeout overrides the client's.
    slow = server_factory(faults=[Fault.slow(5)])
    with pytest.raises(ModelTimeoutError):
        await OpenAIClient(entry(slow)).create(ModelRequest([{"content": "x"}], {"timeout": 0.2}))
    closed = OpenAICompatibleTestServer().start()
    url = closed.base_url
    closed.stop()
    with pytest.raises(ModelConnectionError):
        await OpenAIClient({"model": "m", "base_url": url}).create(ModelRequest([{"content": "x"}]))


async def test_local_base_url_needs_no_api_key(server_factory: Any) -> None:
    server = server_factory(replies=["local"])
    client = OpenAIClient({"model": "llama3", "base_url": server.base_url})
    assert (await client.create(ModelRequest([{"content": "x"}]))).text == "local"


def test_test_server_counts_requests_and_reports_exhaustion(server_factory: Any) -> None:
    import httpx

    server = server_factory(replies=["only"], faults={1: Fault.server_error(502)})
    url = server.base_url + "/chat/completions"
    body = {"model": "m", "messages": [{"role": "user", "content": "x"}]}
    first = httpx.post(url, json=body)
    assert first.json()["choices"][0]["message"]["content"] == "only"
    assert httpx.post(url, json=body).status_code == 502
    exhausted = httpx.post(url, json=body)
    assert exhausted.status_code == 500
    assert "exhausted" in json.dumps(exhausted.json())
    assert server.request_count == 3
    assert httpx.post(server.base_url + "/nothing", json=body).status_code == 404


def test_reply_function_sees_the_request(server_factory: Any) -> None:
    import httpx

    server = server_factory(replies=lambda body: f"you said {body['messages'][-1]['content']}")
    reply = httpx.post(
        server.base_url + "/chat/completions",
        json={"model": "m", "messages": [{"role": "user", "content": "ping"}]},
    )
    assert reply.json()["choices"][0]["message"]["content"] == "you said ping"


async def test_sync_and_async_calls_share_one_wrapper(server_factory: Any) -> None:
    from convogen.llm import OpenAIWrapper

    server = server_factory(replies=["sync inside a loop", "async", "sync again"])
    wrapper = OpenAIWrapper(config_list=[entry(server)])
    # create() inside a running loop runs on a helper thread's loop: the SDK client (and its
    # connection pool) must not be shared across loops.
    assert wrapper.create(messages=[{"role": "user", "content": "a"}]).text == "sync inside a loop"
    assert (await wrapper.a_create(messages=[{"role": "user", "content": "b"}])).text == "async"
    assert wrapper.create(messages=[{"role": "user", "content": "c"}]).text == "sync again"
    assert len(wrapper.usage.records) == 3
