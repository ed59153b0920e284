"""``TransformMessages`` and its transforms at their 0.2 paths, as 0.2's docs use them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from convogen.agentchat import AssistantAgent, UserProxyAgent
from convogen.agentchat.contrib.capabilities import transforms_util
from convogen.agentchat.contrib.capabilities.text_compressors import IMPORT_ERROR, LLMLingua
from convogen.agentchat.contrib.capabilities.transform_messages import TransformMessages
from convogen.agentchat.contrib.capabilities.transforms import (
    MessageHistoryLimiter,
    MessageTokenLimiter,
    MessageTransform,
    TextMessageCompressor,
)
from convogen.cache import Cache
from convogen.errors import ConfigError
from convogen.llm.test_server import OpenAICompatibleTestServer


def chat(n: int, words: int = 3) -> list[dict[str, Any]]:
    roles = ("user", "assistant")
    return [{"role": roles[i % 2], "content": " ".join([f"m{i}"] * words)} for i in range(n)]


@pytest.fixture
def server() -> Iterator[OpenAICompatibleTestServer]:
    with OpenAICompatibleTestServer(lambda body: "ok") as srv:
        yield srv


def assistant_on(server: OpenAICompatibleTestServer) -> AssistantAgent:
    entry = {"model": "gpt-4", "base_url": server.base_url, "api_key": "sk-test"}
    return AssistantAgent("assistant", llm_config={"config_list": [entry], "cache_seed": None})


def test_history_limiter_limits_what_the_server_receives(
    server: OpenAICompatibleTestServer,
) -> None:
    assistant = assistant_on(server)
    TransformMessages(transforms=[MessageHistoryLimiter(max_messages=3)]).add_to_agent(assistant)
    assistant.generate_reply(messages=chat(20))
    sent = server.requests[-1]["messages"]
    assert sent[0]["role"] == "system"
    assert [m["content"].split()[0] for m in sent[1:]] == ["m17", "m18", "m19"]


def test_token_limiter_limits_the_tokens_the_server_receives(
    server: OpenAICompatibleTestServer,
) -> None:
    assistant = assistant_on(server)
    limiter = MessageTokenLimiter(max_tokens_per_message=5, max_tokens=12)
    TransformMessages(transforms=[limiter]).add_to_agent(assistant)
    assistant.generate_reply(messages=chat(10, words=40))
    sent = server.requests[-1]["messages"][1:]
    assert sum(transforms_util.count_text_tokens(m["content"]) for m in sent) <= 12
    assert all(transforms_util.count_text_tokens(m["content"]) <= 5 for m in sent)
    assert sent[-1]["content"].startswith("m9")


def test_two_agent_chat_keeps_full_history_but_sends_limited_context(
    server: OpenAICompatibleTestServer,
) -> None:
    assistant = assistant_on(server)
    TransformMessages(transforms=[MessageHistoryLimiter(max_messages=2)]).add_to_agent(assistant)
    user = UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=3
    )
    user.initiate_chat(assistant, message="hello", silent=True)
    assert all(len(body["messages"]) <= 3 for body in server.requests)
    assert len(assistant.chat_messages[user]) > 3


def test_verbose_prints_what_each_transform_removed(capsys: pytest.CaptureFixture[str]) -> None:
    assistant = AssistantAgent("a", llm_config=False)
    TransformMessages(transforms=[MessageHistoryLimiter(max_messages=3)]).add_to_agent(assistant)
    assistant.process_all_messages_before_reply(chat(10))
    assert "Removed 7 messages. Number of messages reduced from 10 to 3." in capsys.readouterr().out


def test_not_verbose_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assistant = AssistantAgent("a", llm_config=False)
    handling = TransformMessages(transforms=[MessageHistoryLimiter(max_messages=3)], verbose=False)
    handling.add_to_agent(assistant)
    assistant.process_all_messages_before_reply(chat(10))
    assert capsys.readouterr().out == ""


def test_system_message_is_kept_out_of_the_transforms() -> None:
    assistant = AssistantAgent("a", llm_config=False)
    TransformMessages(
        transforms=[MessageHistoryLimiter(max_messages=1)], verbose=False
    ).add_to_agent(assistant)
    messages = [{"role": "system", "content": "be brief"}, *chat(5)]
    out = assistant.process_all_messages_before_reply(messages)
    assert out == [messages[0], messages[-1]]


def test_transforms_leave_the_stored_messages_unchanged() -> None:
    messages = chat(4, words=50)
    before = [dict(m) for m in messages]
    MessageTokenLimiter(max_tokens_per_message=3).apply_transform(messages)
    assert messages == before


def test_history_limiter_keeps_first_message_and_order() -> None:
    out = MessageHistoryLimiter(max_messages=3, keep_first_message=True).apply_transform(chat(10))
    assert [m["content"].split()[0] for m in out] == ["m0", "m8", "m9"]


def test_history_limiter_never_starts_with_a_tool_result() -> None:
    messages = chat(10)
    messages[7] = {"role": "tool", "tool_call_id": "c", "content": "42"}
    out = MessageHistoryLimiter(max_messages=3).apply_transform(messages)
    assert [m["content"].split()[0] for m in out] == ["m8", "m9"]


def test_history_limiter_without_limit_returns_messages_unchanged() -> None:
    messages = chat(5)
    assert MessageHistoryLimiter().apply_transform(messages) is messages
    assert MessageHistoryLimiter().get_logs(messages, messages) == (
        "No messages were removed.",
        False,
    )


def test_history_limiter_rejects_a_limit_below_one() -> None:
    with pytest.raises(ConfigError, match="max_messages"):
        MessageHistoryLimiter(max_messages=0)


def test_token_limiter_drops_oldest_messages_past_the_total() -> None:
    out = MessageTokenLimiter(max_tokens=8).apply_transform(chat(6, words=4))
    assert out[-1]["content"].startswith("m5")
    assert len(out) < 6


def test_token_limiter_below_min_tokens_changes_nothing() -> None:
    messages = chat(3, words=5)
    limiter = MessageTokenLimiter(max_tokens_per_message=1, min_tokens=1000)
    assert limiter.apply_transform(messages) is messages


def test_token_limiter_cuts_only_text_parts_of_multimodal_content() -> None:
    image = {"type": "image_url", "image_url": {"url": "http://x/cat.png"}}
    text = {"type": "text", "text": " ".join(["word"] * 50)}
    out = MessageTokenLimiter(max_tokens_per_message=4).apply_transform(
        [{"role": "user", "content": [text, image]}]
    )
    assert out[0]["content"][1] == image
    assert transforms_util.count_text_tokens(out[0]["content"]) <= 4


def test_token_limiter_spares_messages_matching_the_filter() -> None:
    messages = [
        {"role": "user", "name": "keep", "content": " ".join(["a"] * 50)},
        {"role": "user", "name": "cut", "content": " ".join(["b"] * 50)},
    ]
    out = MessageTokenLimiter(
        max_tokens_per_message=2, filter_dict={"name": ["keep"]}
    ).apply_transform(messages)
    assert out[0]["content"] == messages[0]["content"]
    assert transforms_util.count_text_tokens(out[1]["content"]) <= 2


def test_token_limiter_logs_the_tokens_it_cut() -> None:
    limiter = MessageTokenLimiter(max_tokens_per_message=2)
    pre = chat(2, words=20)
    logs, had_effect = limiter.get_logs(pre, limiter.apply_transform(pre))
    assert had_effect and logs.startswith("Truncated ") and "Number of tokens reduced from" in logs


def test_token_limiter_rejects_min_tokens_above_max_tokens() -> None:
    with pytest.raises(ConfigError, match="min_tokens"):
        MessageTokenLimiter(max_tokens=10, min_tokens=20)


def test_token_limiter_caps_max_tokens_to_the_model_window() -> None:
    limiter = MessageTokenLimiter(max_tokens=10**9, model="gpt-4")
    messages = chat(3)
    assert limiter.apply_transform(messages) == messages  # capped, not an error


class HalvingCompressor:
    """A TextCompressor that keeps the first half of the words."""

    def __init__(self) -> None:
        self.calls = 0

    def compress_text(self, text: str, **compression_params: Any) -> dict[str, Any]:
        self.calls += 1
        words = text.split()
        kept = words[: len(words) // 2]
        return {
            "compressed_prompt": " ".join(kept),
            "origin_tokens": len(words),
            "compressed_tokens": len(kept),
        }


def test_compressor_compresses_text_and_logs_savings() -> None:
    compressor = TextMessageCompressor(text_compressor=HalvingCompressor())
    pre = [{"role": "user", "content": "one two three four"}]
    post = compressor.apply_transform(pre)
    assert post[0]["content"] == "one two"
    assert compressor.get_logs(pre, post) == ("2 tokens saved with text compression.", True)


def test_compressor_reuses_cached_compressions(tmp_path: Any) -> None:
    text_compressor = HalvingCompressor()
    with Cache.disk(cache_path_root=str(tmp_path)) as cache:
        compressor = TextMessageCompressor(text_compressor=text_compressor, cache=cache)
        messages = [{"role": "user", "content": "one two three four"}]
        first = compressor.apply_transform(messages)
        second = compressor.apply_transform(messages)
    assert first == second and text_compressor.calls == 1


def test_compressor_skips_messages_below_min_tokens() -> None:
    text_compressor = HalvingCompressor()
    compressor = TextMessageCompressor(text_compressor=text_compressor, min_tokens=1000)
    compressor.apply_transform([{"role": "user", "content": "one two"}])
    assert text_compressor.calls == 0


@pytest.mark.skipif(IMPORT_ERROR is None, reason="LLMLingua is installed")
def test_default_compressor_without_llmlingua_raises_a_clear_import_error() -> None:
    with pytest.raises(ImportError, match="LLMLingua is not installed"):
        TextMessageCompressor()
    with pytest.raises(ImportError, match="pip install"):
        LLMLingua()


def test_transforms_follow_the_message_transform_protocol() -> None:
    for transform in (MessageHistoryLimiter(), MessageTokenLimiter()):
        assert isinstance(transform, MessageTransform)
    with pytest.raises(ConfigError, match=r"transforms\[0\]"):
        TransformMessages(transforms=[object()])  # type: ignore[list-item]


def test_transforms_util_filters_and_checks_content() -> None:
    assert transforms_util.should_transform_message({"name": "x"}, {"name": ["x"]}, exclude=False)
    assert not transforms_util.should_transform_message({"name": "x"}, {"name": ["x"]}, True)
    assert transforms_util.is_content_text_empty([{"type": "image_url"}])
    assert not transforms_util.is_content_right_type(None)
    assert transforms_util.cache_key("abc", 3) == "abc3"
