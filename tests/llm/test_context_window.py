"""Every model call knows its context window; a request that cannot fit fails before it is sent."""

from __future__ import annotations

from typing import Any

import pytest

from convogen.agentchat import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent
from convogen.errors import ConfigError
from convogen.llm.context import (
    check_fits,
    context_window_of,
    known_context_window,
    overflow_from_llama,
    request_tokens,
    truncate_to_tokens,
)
from convogen.llm.errors import BadRequestError, ContextWindowExceededError
from convogen.llm.scripted import scripted_llm_config
from convogen.llm.wrapper import OpenAIWrapper

LONG = " ".join(["word"] * 12000)


def ask(wrapper: OpenAIWrapper, text: str, **params: Any) -> Any:
    return wrapper.create(messages=[{"role": "user", "content": text}], **params)


def test_known_models_have_their_published_window() -> None:
    assert known_context_window("gpt-4") == 8192
    assert known_context_window("gpt-4o-mini") == 128000
    assert known_context_window("openai/gpt-35-turbo-16k") == 16385
    assert known_context_window("claude-3-5-sonnet-20241022") == 200000


def test_unknown_model_has_no_window_and_is_not_checked() -> None:
    assert known_context_window("my-finetune") is None
    check_fits("my-finetune", None, [{"role": "user", "content": LONG}], {})


def test_config_key_sets_the_window_of_any_model() -> None:
    assert context_window_of({"model": "my-finetune", "context_window": 1000}) == 1000
    assert context_window_of({"model": "gpt-4", "max_context_tokens": 300}) == 300


def test_context_window_config_key_is_validated() -> None:
    with pytest.raises(ConfigError, match="context_window"):
        OpenAIWrapper(config_list=[{"model": "gpt-4", "api_key": "x", "context_window": 0}])


def test_overflow_raises_before_the_request_is_sent(server_factory: Any) -> None:
    server = server_factory(["never sent"])
    wrapper = OpenAIWrapper(
        config_list=[{"model": "gpt-4", "base_url": server.base_url, "api_key": "sk-test"}]
    )
    with pytest.raises(ContextWindowExceededError) as caught:
        ask(wrapper, LONG)
    error = caught.value
    assert (error.model, error.window) == ("gpt-4", 8192)
    assert error.tokens > 8192
    assert server.request_count == 0


def test_overflow_message_names_model_window_tokens_and_the_fix() -> None:
    error = ContextWindowExceededError(model="smollm2", window=2048, tokens=4197)
    assert str(error) == (
        "request needs 4197 tokens but model 'smollm2' has a context window of 2048; add a "
        "MessageHistoryLimiter/MessageTokenLimiter transform "
        "(convogen.agentchat.contrib.capabilities.transforms) or raise n_ctx"
    )
    assert isinstance(error, BadRequestError) and error.status == 400
    assert not error.retryable


def test_a_request_that_fits_is_sent_without_the_window_key(server_factory: Any) -> None:
    server = server_factory(["fine"])
    entry = {"model": "gpt-4", "base_url": server.base_url, "api_key": "sk", "context_window": 500}
    response = ask(OpenAIWrapper(config_list=[entry]), "short question")
    assert response.choices[0].message.content == "fine"
    assert "context_window" not in server.requests[0]
    assert "context_window" not in server.requests[0].get("extra_body", {})


def test_the_reply_budget_counts_toward_the_window() -> None:
    wrapper = OpenAIWrapper(**scripted_llm_config(["x"], context_window=100))
    with pytest.raises(ContextWindowExceededError) as caught:
        ask(wrapper, "short question", max_tokens=200)
    assert caught.value.tokens > 200


def test_scripted_clients_are_checked_against_a_configured_window() -> None:
    wrapper = OpenAIWrapper(**scripted_llm_config(["x"], max_context_tokens=50))
    with pytest.raises(ContextWindowExceededError, match="context window of 50"):
        ask(wrapper, " ".join(["w"] * 400))


def test_failover_moves_to_a_model_with_a_larger_window() -> None:
    small = {"model": "small", "api_type": "scripted", "replies": ["small"], "context_window": 50}
    large = {"model": "large", "api_type": "scripted", "replies": ["large"]}
    response = ask(OpenAIWrapper(config_list=[small, large]), " ".join(["w"] * 400))
    assert response.choices[0].message.content == "large"


def test_tool_definitions_count_toward_the_request() -> None:
    tool = {
        "type": "function",
        "function": {"name": "f", "description": "d " * 300, "parameters": {"type": "object"}},
    }
    messages = [{"role": "user", "content": "hi"}]
    assert request_tokens("gpt-4", messages, {"tools": [tool]}) > request_tokens(
        "gpt-4", messages, {}
    )


def test_llama_cpp_overflow_message_becomes_the_typed_error() -> None:
    raw = ValueError("Requested tokens (4197) exceed context window of 2048")
    error = overflow_from_llama(raw, "smollm2")
    assert error is not None
    assert (error.model, error.window, error.tokens) == ("smollm2", 2048, 4197)
    assert overflow_from_llama(ValueError("other"), "smollm2") is None


def test_truncate_to_tokens_keeps_a_prefix_within_the_budget() -> None:
    text = " ".join(f"w{i}" for i in range(200))
    cut = truncate_to_tokens(text, 10, "gpt-4")
    assert text.startswith(cut) and 0 < len(cut) < len(text)
    assert truncate_to_tokens("short", 100, "gpt-4") == "short"
    assert truncate_to_tokens(text, 0, "gpt-4") == ""


def test_reflection_summary_gets_the_same_check() -> None:
    config = scripted_llm_config(["TERMINATE", "summary"], context_window=60)
    assistant = AssistantAgent("assistant", llm_config=config)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    with pytest.raises(ContextWindowExceededError):
        user.initiate_chat(
            assistant,
            message=" ".join(["w"] * 30),
            summary_method="reflection_with_llm",
            silent=True,
        )


def test_group_chat_speaker_selection_gets_the_same_check() -> None:
    agents = [
        AssistantAgent(name, llm_config=scripted_llm_config(["hi"], on_exhausted="repeat_last"))
        for name in ("alice", "bob", "carol")
    ]
    groupchat = GroupChat(agents=agents, messages=[], max_round=3)
    manager = GroupChatManager(
        groupchat, llm_config=scripted_llm_config(["bob"], context_window=40)
    )
    with pytest.raises(ContextWindowExceededError):
        agents[0].initiate_chat(manager, message=" ".join(["w"] * 60), silent=True)


def test_an_image_counts_a_fixed_budget_not_its_data_uri() -> None:
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64," + "A" * 200_000}}
    messages = [{"role": "user", "content": [{"type": "text", "text": "what is this?"}, image]}]
    assert request_tokens("gpt-4o", messages, {}) < 1000
    check_fits("gpt-4o", 128000, messages, {})


def test_tool_call_arguments_count_toward_the_request() -> None:
    call = {"id": "c", "type": "function", "function": {"name": "f", "arguments": "x " * 500}}
    messages = [{"role": "assistant", "content": None, "tool_calls": [call]}]
    with pytest.raises(ContextWindowExceededError):
        check_fits("my-model", 100, messages, {})
