"""``OpenAIWrapper.create`` and ``Completion.create`` as 0.2 scripts use them, on a local server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from convogen import Completion, OpenAIWrapper
from convogen.llm.test_server import OpenAICompatibleTestServer

TOOL_REPLY = {
    "content": None,
    "tool_calls": [
        {
            "id": "call_1",
            "type": "function",
            "function": {"name": "add", "arguments": '{"a": 1, "b": 2}'},
        }
    ],
}


@pytest.fixture
def server() -> Iterator[OpenAICompatibleTestServer]:
    with OpenAICompatibleTestServer(["Paris is the capital.", TOOL_REPLY, "third"]) as srv:
        yield srv


def wrapper_for(server: OpenAICompatibleTestServer, model: str = "gpt-4") -> OpenAIWrapper:
    return OpenAIWrapper(
        config_list=[{"model": model, "base_url": server.base_url, "api_key": "sk-test"}]
    )


def ask(client: OpenAIWrapper, text: str = "Capital of France?") -> Any:
    return client.create(messages=[{"role": "user", "content": text}])


def test_create_response_reads_like_an_openai_chat_completion(
    server: OpenAICompatibleTestServer,
) -> None:
    response = ask(wrapper_for(server))
    assert response.choices[0].message.content == "Paris is the capital."
    assert response.choices[0].message.role == "assistant"
    assert response.choices[0].finish_reason == "stop"
    assert response.model == "gpt-4"
    assert response.id.startswith("chatcmpl-test")


def test_create_response_has_usage_and_cost(server: OpenAICompatibleTestServer) -> None:
    response = ask(wrapper_for(server))
    assert response.usage.prompt_tokens == 3
    assert response.usage.completion_tokens == 4
    assert response.usage.total_tokens == 7
    assert response.cost == pytest.approx((3 * 0.03 + 4 * 0.06) / 1000)


def test_tool_calls_are_attribute_accessible(server: OpenAICompatibleTestServer) -> None:
    client = wrapper_for(server)
    ask(client)
    response = ask(client, "add 1 and 2")
    call = response.choices[0].message.tool_calls[0]
    assert (call.id, call.type) == ("call_1", "function")
    assert call.function.name == "add" and call.function.arguments == '{"a": 1, "b": 2}'
    extracted = client.extract_text_or_completion_object(response)[0]
    assert extracted["tool_calls"][0]["function"]["name"] == "add"


def test_usage_summaries_total_actual_print_and_clear(
    server: OpenAICompatibleTestServer, capsys: pytest.CaptureFixture[str]
) -> None:
    client = wrapper_for(server)
    ask(client)
    assert client.total_usage_summary is not None
    assert client.total_usage_summary["gpt-4"]["total_tokens"] == 7
    assert client.actual_usage_summary == client.total_usage_summary
    client.print_usage_summary()
    assert "gpt-4" in capsys.readouterr().out
    client.clear_usage_summary()
    assert client.total_usage_summary is None


def test_prompt_template_is_filled_from_context(server: OpenAICompatibleTestServer) -> None:
    client = wrapper_for(server)
    client.create(
        messages=[{"role": "user", "content": "Capital of {country}?"}],
        context={"country": "France"},
        allow_format_str_template=True,
    )
    assert server.requests[0]["messages"][0]["content"] == "Capital of France?"


def test_instantiate_fills_format_templates_only_when_allowed() -> None:
    assert OpenAIWrapper.instantiate("{x}!", {"x": "hi"}, True) == "hi!"
    assert OpenAIWrapper.instantiate("{x}!", {"x": "hi"}) == "{x}!"


def test_create_without_messages_or_prompt_names_what_is_missing() -> None:
    client = OpenAIWrapper(config_list=[{"model": "m", "api_type": "scripted", "replies": ["x"]}])
    with pytest.raises(ValueError, match="messages"):
        client.create(temperature=0)


def test_completion_model_prompt_uses_the_completions_endpoint(
    server: OpenAICompatibleTestServer,
) -> None:
    response = Completion.create(
        prompt="Complete: Paris is",
        model="gpt-3.5-turbo-instruct",
        base_url=server.base_url,
        api_key="sk-test",
    )
    assert server.paths[0].endswith("/v1/completions")
    assert server.requests[0]["prompt"] == "Complete: Paris is"
    assert "messages" not in server.requests[0]
    assert Completion.extract_text(response) == ["Paris is the capital."]


def test_chat_model_prompt_uses_the_chat_endpoint(server: OpenAICompatibleTestServer) -> None:
    Completion.create(
        {"city": "Paris"},
        prompt="Where is {city}?",
        allow_format_str_template=True,
        model="gpt-4",
        base_url=server.base_url,
        api_key="sk-test",
    )
    assert server.paths[0].endswith("/chat/completions")
    assert server.requests[0]["messages"] == [{"role": "user", "content": "Where is Paris?"}]


def test_wrapper_prompt_goes_to_the_completions_endpoint(
    server: OpenAICompatibleTestServer,
) -> None:
    response = wrapper_for(server, "gpt-3.5-turbo-instruct").create(prompt="Say hi")
    assert server.paths[0].endswith("/v1/completions")
    assert response.choices[0].message.content == "Paris is the capital."


def test_completion_logging_records_each_call(server: OpenAICompatibleTestServer) -> None:
    history: dict[Any, Any] = {}
    Completion.start_logging(history, compact=False)
    try:
        Completion.create(prompt="a", model="gpt-4", base_url=server.base_url, api_key="k")
    finally:
        Completion.stop_logging()
    assert list(history) == [0]
    assert history[0]["response"]["choices"] == ["Paris is the capital."]
    assert Completion.logged_history() is None


def test_classic_openai_client_wraps_a_sync_sdk_client(
    server: OpenAICompatibleTestServer,
) -> None:
    import openai

    from convogen.oai.client import OpenAIClient

    sdk = openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0)
    client = OpenAIClient(sdk)
    response = client.create({"model": "gpt-4", "messages": [{"role": "user", "content": "q"}]})
    assert client.message_retrieval(response) == ["Paris is the capital."]
    assert client.cost(response) == pytest.approx((1 * 0.03 + 4 * 0.06) / 1000)
    assert client.get_usage(response)["total_tokens"] == 5
