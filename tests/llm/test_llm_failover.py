"""Failover across configs and retries with backoff, through the real HTTP path."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llm_test_support import SleepRecorder, entry

from convogen.errors import AllModelsFailedError, ConfigError, ModelClientError
from convogen.llm import OpenAIWrapper, RetryPolicy
from convogen.llm.errors import (
    BadRequestError,
    ContentFilterError,
    ModelTimeoutError,
    RateLimitError,
    ServerError,
)
from convogen.llm.protocol import ModelRequest, ModelResponse
from convogen.llm.test_server import Fault
from convogen.messages import Message

HELLO: list[Message] = [{"role": "user", "content": "hello"}]


@pytest.mark.parametrize(
    "fault",
    [
        Fault.server_error(500),
        Fault.server_error(503),
        Fault.rate_limit(retry_after=2),
        Fault.slow(5),
        Fault.malformed(),
        Fault.reset(),
        Fault.bad_request(404),
    ],
    ids=["500", "503", "429", "timeout", "malformed", "reset", "404"],
)
async def test_fails_over_to_the_next_config(
    server_factory: Any, policy: RetryPolicy, sleeper: SleepRecorder, fault: Fault
) -> None:
    first = server_factory(replies=["from first"], faults=[fault])
    second = server_factory(replies=["from second"])
    wrapper = OpenAIWrapper(
        config_list=[entry(first, "gpt-4o", timeout=0.3), entry(second, "gpt-4o-mini")],
        retry_policy=policy,
    )
    response = await wrapper.a_create(messages=HELLO)
    assert response.text == "from second"
    assert response.model == "gpt-4o-mini"
    assert (first.request_count, second.request_count) == (1, 1)
    assert sleeper.calls == []  # failover is immediate; waiting is only for retries
    assert wrapper.usage.records[-1].model == "gpt-4o-mini"


async def test_retry_after_is_honoured(
    server_factory: Any, policy: RetryPolicy, sleeper: SleepRecorder
) -> None:
    server = server_factory(replies=["finally"], faults=[Fault.rate_limit(retry_after=3)])
    wrapper = OpenAIWrapper(config_list=[entry(server)], retry_policy=policy)
    response = await wrapper.a_create(messages=HELLO)
    assert response.text == "finally"
    assert sleeper.calls == [3.0]
    assert server.request_count == 2


async def test_retry_after_is_capped(server_factory: Any, sleeper: SleepRecorder) -> None:
    server = server_factory(replies=["ok"], faults=[Fault.rate_limit(retry_after=3600)])
    capped = RetryPolicy(max_delay=5, jitter=0, sleeper=sleeper)
    wrapper = OpenAIWrapper(config_list=[entry(server)], retry_policy=capped)
    assert (await wrapper.a_create(messages=HELLO)).text == "ok"
    assert sleeper.calls == [5]


async def test_exponential_backoff_then_success(
    server_factory: Any, policy: RetryPolicy, sleeper: SleepRecorder
) -> None:
    server = server_factory(
        replies=["third time lucky"],
        faults=[Fault.server_error(500), Fault.rate_limit(retry_after=None)],
    )
    wrapper = OpenAIWrapper(config_list=[entry(server)], retry_policy=policy)
    assert (await wrapper.a_create(messages=HELLO)).text == "third time lucky"
    assert sleeper.calls == [1.0, 2.0]


async def test_all_fail_names_each_model_and_error(
    server_factory: Any, policy: RetryPolicy, sleeper: SleepRecorder
) -> None:
    first = server_factory(faults=[Fault.server_error(500)] * 3)
    second = server_factory(faults=[Fault.rate_limit(retry_after=1)] * 3)
    wrapper = OpenAIWrapper(
        config_list=[entry(first, "gpt-4o"), entry(second, "gpt-4o-mini")], retry_policy=policy
    )
    with pytest.raises(AllModelsFailedError) as info:
        await wrapper.a_create(messages=HELLO)
    error = info.value
    assert [model for model, _ in error.errors] == ["gpt-4o", "gpt-4o-mini"]
    assert isinstance(error.errors[0][1], ServerError)
    assert isinstance(error.errors[1][1], RateLimitError)
    assert "gpt-4o: ServerError: HTTP 500" in str(error)
    assert "gpt-4o-mini: RateLimitError: HTTP 429" in str(error)
    # 1 attempt + 2 retries per config, two waits between the three rounds.
    assert (first.request_count, second.request_count) == (3, 3)
    assert sleeper.calls == [1.0, 2.0]
    assert wrapper.usage.records == []


async def test_single_config_raises_its_own_error(server_factory: Any, sleeper: Any) -> None:
    server = server_factory(faults=[Fault.server_error(500)])
    no_retry = RetryPolicy(max_retries=0, sleeper=sleeper)
    wrapper = OpenAIWrapper(config_list=[entry(server)], retry_policy=no_retry)
    with pytest.raises(ServerError):
        await wrapper.a_create(messages=HELLO)
    assert server.request_count == 1


async def test_bad_request_is_not_retried(server_factory: Any, policy: RetryPolicy) -> None:
    server = server_factory(faults=[Fault.bad_request(400)])
    wrapper = OpenAIWrapper(config_list=[entry(server)], retry_policy=policy)
    with pytest.raises(BadRequestError):
        await wrapper.a_create(messages=HELLO)
    assert server.request_count == 1


async def test_content_filter_stops_without_failover(
    server_factory: Any, policy: RetryPolicy
) -> None:
    first = server_factory(faults=[Fault.bad_request(400, code="content_filter")])
    second = server_factory(replies=["should not be asked"])
    wrapper = OpenAIWrapper(config_list=[entry(first), entry(second)], retry_policy=policy)
    with pytest.raises(ContentFilterError):
        await wrapper.a_create(messages=HELLO)
    assert second.request_count == 0


async def test_per_entry_max_retries(server_factory: Any, policy: RetryPolicy) -> None:
    server = server_factory(faults=[Fault.server_error(500)] * 5)
    wrapper = OpenAIWrapper(config_list=[entry(server, max_retries=4)], retry_policy=policy)
    with pytest.raises(ServerError):
        await wrapper.a_create(messages=HELLO)
    assert server.request_count == 5


async def test_max_retries_from_llm_config(server_factory: Any) -> None:
    server = server_factory(faults=[Fault.server_error(500)])
    wrapper = OpenAIWrapper(config_list=[entry(server)], max_retries=0)
    with pytest.raises(ServerError):
        await wrapper.a_create(messages=HELLO)
    assert server.request_count == 1


async def test_per_request_timeout_through_the_wrapper(
    server_factory: Any, policy: RetryPolicy
) -> None:
    slow = server_factory(faults=[Fault.slow(5)])
    fast = server_factory(replies=["quick"])
    wrapper = OpenAIWrapper(config_list=[entry(slow), entry(fast)], retry_policy=policy)
    response = await wrapper.a_create(messages=HELLO, timeout=1.0)
    assert response.text == "quick"
    assert fast.requests[0].get("timeout") is None  # a client option, never sent in the body


class _HangingClient:
    """A custom client that never answers (it knows nothing about timeouts)."""

    def __init__(self, config: dict[str, Any], **kwargs: Any) -> None:
        self.model = config["model"]

    async def create(self, request: ModelRequest) -> ModelResponse:
        await asyncio.sleep(10)
        raise AssertionError("unreachable")


async def test_timeout_bounds_clients_that_ignore_it(policy: RetryPolicy) -> None:
    wrapper = OpenAIWrapper(
        config_list=[{"model": "hang", "model_client_cls": "_HangingClient"}],
        retry_policy=RetryPolicy(max_retries=0),
    )
    wrapper.register_model_client(_HangingClient)
    with pytest.raises(ModelTimeoutError, match=r"timeout=0\.1"):
        await wrapper.a_create(messages=HELLO, timeout=0.1)


def test_scripted_configs_fail_over_too() -> None:
    wrapper = OpenAIWrapper(
        config_list=[
            {"model": "empty", "api_type": "scripted", "replies": []},
            {"model": "backup", "api_type": "scripted", "replies": ["backup answer"]},
        ]
    )
    assert wrapper.create(messages=HELLO).text == "backup answer"


def test_filter_func_moves_on_to_the_next_config() -> None:
    wrapper = OpenAIWrapper(
        config_list=[
            {"model": "a", "api_type": "scripted", "replies": ["no"]},
            {"model": "b", "api_type": "scripted", "replies": ["yes"]},
        ],
        filter_func=lambda context, response: response.text == "yes",
    )
    assert wrapper.create(messages=HELLO).text == "yes"
    # The rejected reply still cost money (here: zero) and is accounted.
    assert [r.model for r in wrapper.usage.records] == ["a", "b"]


def test_retry_policy_validation() -> None:
    with pytest.raises(ConfigError, match="max_retries"):
        RetryPolicy(max_retries=-1)
    with pytest.raises(ConfigError, match="max_delay"):
        RetryPolicy(max_delay=-2)
    backoff = RetryPolicy(initial_delay=1, multiplier=2, max_delay=30, jitter=0.5)
    for attempt in range(1, 8):
        assert 0 < backoff.backoff(attempt) <= 30


def test_unregistered_custom_client_is_a_config_error() -> None:
    wrapper = OpenAIWrapper(config_list=[{"model": "x", "model_client_cls": "Nope"}])
    with pytest.raises(ConfigError, match="register_model_client"):
        wrapper.create(messages=HELLO)
    assert issubclass(ConfigError, Exception) and not issubclass(ConfigError, ModelClientError)
