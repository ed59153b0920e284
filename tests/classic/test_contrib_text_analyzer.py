"""Classic ``TextAnalyzerAgent``: the model's analysis of a text, following instructions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from convogen.agentchat import UserProxyAgent
from convogen.agentchat.contrib.text_analyzer_agent import TextAnalyzerAgent, system_message
from convogen.errors import ChatError, ConfigError
from convogen.llm.test_server import OpenAICompatibleTestServer


@pytest.fixture
def server() -> Iterator[OpenAICompatibleTestServer]:
    with OpenAICompatibleTestServer(lambda body: "Sentiment: positive") as srv:
        yield srv


def analyzer(server: OpenAICompatibleTestServer) -> TextAnalyzerAgent:
    entry = {"model": "gpt-4o", "base_url": server.base_url, "api_key": "sk-test"}
    return TextAnalyzerAgent(llm_config={"config_list": [entry], "cache_seed": None}, silent=True)


def test_analyze_text_returns_the_models_analysis(server: OpenAICompatibleTestServer) -> None:
    result = analyzer(server).analyze_text("I love it.", "Give the sentiment.")
    assert result == "Sentiment: positive"


def test_instructions_are_given_before_and_after_the_text(
    server: OpenAICompatibleTestServer,
) -> None:
    analyzer(server).analyze_text("I love it.", "Give the sentiment.")
    messages = server.requests[0]["messages"]
    assert messages[0] == {"role": "system", "content": system_message}
    prompt = messages[1]["content"]
    assert prompt.count("Give the sentiment.") == 2
    first, _, last = prompt.partition("I love it.")
    assert "Give the sentiment." in first and "Give the sentiment." in last


def test_default_name_and_human_input_mode_are_0_2s(server: OpenAICompatibleTestServer) -> None:
    agent = analyzer(server)
    assert agent.name == "analyzer"
    assert agent.human_input_mode == "NEVER"


def test_reply_to_a_text_and_instructions_is_the_analysis(
    server: OpenAICompatibleTestServer,
) -> None:
    agent = analyzer(server)
    sender = UserProxyAgent("teacher", human_input_mode="NEVER", code_execution_config=False)
    sender.send("I love it.", agent, request_reply=False, silent=True)
    sender.send("Give the sentiment.", agent, request_reply=False, silent=True)
    assert agent.generate_reply(sender=sender) == "Sentiment: positive"


def test_a_conversation_that_is_not_text_and_instructions_is_refused(
    server: OpenAICompatibleTestServer,
) -> None:
    agent = analyzer(server)
    sender = UserProxyAgent("teacher", human_input_mode="NEVER", code_execution_config=False)
    sender.send("only one message", agent, request_reply=False, silent=True)
    with pytest.raises(ChatError, match="exactly two messages"):
        agent.generate_reply(sender=sender)


def test_analysis_needs_a_model() -> None:
    agent: Any = TextAnalyzerAgent(llm_config=False)
    with pytest.raises(ConfigError, match="llm_config"):
        agent.analyze_text("text", "instructions")
