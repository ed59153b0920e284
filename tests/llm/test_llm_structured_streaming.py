"""Structured output (pydantic response_format) and streaming, through the HTTP path."""

from __future__ import annotations

import json
from typing import Any

import pytest
from llm_test_support import entry
from pydantic import BaseModel

from convogen.errors import ConfigError
from convogen.llm import OpenAIWrapper, RetryPolicy, StructuredOutputError
from convogen.messages import Message

QUESTION: list[Message] = [{"role": "user", "content": "What is 6 times 7?"}]


class Answer(BaseModel):
    value: int
    reasoning: str


async def test_structured_output_is_sent_as_json_schema_and_parsed(server_factory: Any) -> None:
    server = server_factory(replies=[json.dumps({"value": 42, "reasoning": "6*7"})])
    wrapper = OpenAIWrapper(config_list=[entry(server)])
    result = await wrapper.a_create_structured(messages=QUESTION, response_format=Answer)
    assert result.parsed == Answer(value=42, reasoning="6*7")
    assert result.choices == [result.parsed]
    assert result.response.cost is not None
    sent = server.requests[0]["response_format"]
    assert sent["type"] == "json_schema"
    assert sent["json_schema"]["name"] == "Answer"
    assert sent["json_schema"]["schema"]["required"] == ["value", "reasoning"]


async def test_invalid_structured_output_is_a_clear_error(
    server_factory: Any, policy: RetryPolicy
) -> None:
    server = server_factory(replies=['{"value": "many"}'])
    wrapper = OpenAIWrapper(config_list=[entry(server)], retry_policy=policy)
    with pytest.raises(StructuredOutputError) as info:
        await wrapper.a_create_structured(messages=QUESTION, response_format=Answer)
    message = str(info.value)
    assert "Answer" in message and "gpt-4o" in message and "many" in message
    assert server.request_count == 1  # a schema violation is not retried on the same model
    assert len(wrapper.usage.records) == 1  # but the tokens spent are accounted


async def test_invalid_structured_output_fails_over(
    server_factory: Any, policy: RetryPolicy
) -> None:
    sloppy = server_factory(replies=["sure! the answer is 42"])
    strict = server_factory(replies=['{"value": 42, "reasoning": "x"}'])
    wrapper = OpenAIWrapper(config_list=[entry(sloppy), entry(strict)], retry_policy=policy)
    result = await wrapper.a_create(messages=QUESTION, response_format=Answer)
    assert json.loads(result.text or "") == {"value": 42, "reasoning": "x"}


def test_structured_requires_a_model_class() -> None:
    wrapper = OpenAIWrapper(config_list=[{"model": "s", "api_type": "scripted", "replies": []}])
    with pytest.raises(ConfigError, match="pydantic"):
        wrapper.create_structured(messages=QUESTION, response_format=dict)  # type: ignore[type-var]


def test_structured_with_scripted_client() -> None:
    wrapper = OpenAIWrapper(
        config_list=[
            {"model": "s", "api_type": "scripted", "replies": ['{"value": 1, "reasoning": "r"}']}
        ]
    )
    assert wrapper.create_structured(messages=QUESTION, response_format=Answer).parsed.value == 1


async def test_streaming_prints_tokens_and_returns_the_message(server_factory: Any) -> None:
    server = server_factory(replies=["the answer is 42"])
    wrapper = OpenAIWrapper(config_list=[entry(server)])
    pieces: list[str] = []
    response = await wrapper.a_create(messages=QUESTION, stream=True, stream_output=pieces.append)
    assert pieces[:4] == ["the", " answer", " is", " 42"]
    assert "".join(pieces) == "the answer is 42\n"
    assert response.text == "the answer is 42"
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (5, 4)
    assert response.cost == pytest.approx((5 * 0.0025 + 4 * 0.01) / 1000)
    body = server.requests[0]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


async def test_streamed_tool_calls_are_assembled(server_factory: Any) -> None:
    calls = [
        {"id": "c1", "type": "function", "function": {"name": "add", "arguments": '{"a": 1}'}},
        {"id": "c2", "type": "function", "function": {"name": "mul", "arguments": '{"b": 22}'}},
    ]
    server = server_factory(replies=[{"content": None, "tool_calls": calls}])
    wrapper = OpenAIWrapper(config_list=[entry(server)])
    pieces: list[str] = []
    response = await wrapper.a_create(messages=QUESTION, stream=True, stream_output=pieces.append)
    assert response.choices[0]["tool_calls"] == calls
    assert response.choices[0]["content"] is None
    assert pieces == []
    extracted = wrapper.extract_text_or_completion_object(response)[0]
    assert isinstance(extracted, dict) and extracted["tool_calls"] == calls


async def test_streaming_defaults_to_stdout(server_factory: Any, capsys: Any) -> None:
    server = server_factory(replies=["hello stdout"])
    wrapper = OpenAIWrapper(config_list=[entry(server)])
    await wrapper.a_create(messages=QUESTION, stream=True)
    assert capsys.readouterr().out == "hello stdout\n"


async def test_streaming_fails_over_too(server_factory: Any, policy: RetryPolicy) -> None:
    from convogen.llm.test_server import Fault

    broken = server_factory(faults=[Fault.server_error(502)])
    working = server_factory(replies=["streamed"])
    wrapper = OpenAIWrapper(config_list=[entry(broken), entry(working)], retry_policy=policy)
    response = await wrapper.a_create(messages=QUESTION, stream=True, stream_output=lambda _: None)
    assert response.text == "streamed"
