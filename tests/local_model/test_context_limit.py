"""On the embedded model (n_ctx 2048): overflow is a typed error, and the limiter prevents it."""

from __future__ import annotations

from typing import Any

import pytest

from convogen.agentchat import AssistantAgent
from convogen.agentchat.contrib.capabilities.transform_messages import TransformMessages
from convogen.agentchat.contrib.capabilities.transforms import (
    MessageHistoryLimiter,
    MessageTokenLimiter,
)
from convogen.llm.errors import ContextWindowExceededError
from convogen.llm.local import LocalModelClient
from convogen.llm.protocol import ModelRequest

LOCAL = {"config_list": [{"model": "smollm2", "api_type": "local"}], "cache_seed": None}


def long_chat(n: int = 500) -> list[dict[str, Any]]:
    roles = ("user", "assistant")
    text = "Here is another short remark about the weather in town number {i} today."
    return [{"role": roles[i % 2], "content": text.format(i=i)} for i in range(n)]


def prompt_tokens(client: LocalModelClient, messages: list[dict[str, Any]]) -> int:
    return sum(client.engine.count_tokens(str(m["content"])) + 4 for m in messages)


async def test_overflow_is_a_context_window_error_not_a_raw_value_error(
    local_client: LocalModelClient,
) -> None:
    request = ModelRequest(messages=long_chat(), params={"max_tokens": 4})
    with pytest.raises(ContextWindowExceededError) as caught:
        await local_client.create(request)
    error = caught.value
    assert (error.model, error.window) == ("smollm2", 2048)
    assert error.tokens > 2048
    assert "MessageHistoryLimiter" in str(error)
    assert isinstance(error.__cause__, ValueError)


def test_the_client_knows_its_window_from_n_ctx(local_client: LocalModelClient) -> None:
    assert local_client.context_window == local_client.engine.n_ctx == 2048


def test_a_long_chat_without_a_limiter_overflows_through_an_agent(
    local_client: LocalModelClient,
) -> None:
    agent = AssistantAgent("assistant", llm_config={**LOCAL, "max_tokens": 4})
    with pytest.raises(ContextWindowExceededError):
        agent.generate_reply(messages=long_chat())


def test_the_limiter_keeps_a_500_message_chat_under_a_2048_token_window(
    local_client: LocalModelClient,
) -> None:
    config = {**LOCAL, "max_tokens": 4, "temperature": 0}
    agent = AssistantAgent("assistant", system_message="Be brief.", llm_config=config)
    handling = TransformMessages(
        transforms=[MessageHistoryLimiter(max_messages=20), MessageTokenLimiter(max_tokens=200)],
        verbose=False,
    )
    handling.add_to_agent(agent)
    chat = long_chat()
    built = agent.process_all_messages_before_reply(chat)
    system = [{"role": "system", "content": agent.system_message}]
    assert prompt_tokens(local_client, system + built) < 2048
    assert built[-1] == chat[-1]
    reply = agent.generate_reply(messages=chat)
    assert isinstance(reply, str) and reply


def test_the_engine_reads_the_trained_context_from_gguf_metadata(
    local_client: LocalModelClient,
) -> None:
    assert local_client.engine.trained_context == 8192
