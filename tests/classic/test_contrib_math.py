"""MathChat at its 0.2 import path, with 0.2 arguments, against the local test server."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from convogen.agentchat import AssistantAgent
from convogen.agentchat.contrib.math_user_proxy_agent import (
    PROMPTS,
    MathUserProxyAgent,
    WolframAlphaAPIWrapper,
)
from convogen.llm.test_server import OpenAICompatibleTestServer
from convogen.messages import content_str

PROBLEM = "Find $x \\cdot 2$ where $x = 21$."


@pytest.fixture
def server() -> Iterator[OpenAICompatibleTestServer]:
    with OpenAICompatibleTestServer() as running:
        yield running


def chat(
    server: OpenAICompatibleTestServer, tmp_path: Path, replies: list[str], **context: Any
) -> tuple[MathUserProxyAgent, list[str]]:
    server.replies = replies
    entry = {"model": "gpt-4", "base_url": server.base_url, "api_key": "test"}
    assistant = AssistantAgent(
        name="assistant",
        system_message="You are a helpful assistant.",
        llm_config={"config_list": [entry], "cache_seed": None},
    )
    mathproxyagent = MathUserProxyAgent(
        name="mathproxyagent",
        human_input_mode="NEVER",
        code_execution_config={"work_dir": str(tmp_path), "use_docker": False},
    )
    result = mathproxyagent.initiate_chat(
        assistant, message=mathproxyagent.message_generator, problem=PROBLEM, silent=True, **context
    )
    return mathproxyagent, [content_str(m["content"]) for m in result.chat_history]


def test_a_later_block_uses_a_variable_of_an_earlier_one(
    server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    replies = [
        "```python\nx = 21\nprint(x)\n```",
        "```python\nprint(x * 2)\n```",
        "So the answer is \\boxed{42}.",
    ]
    proxy, texts = chat(server, tmp_path, replies)
    assert texts[2] == "21"
    assert texts[4] == "42"
    assert len(texts) == 6  # the boxed answer ends the chat
    assert proxy.last_answer == "42"


def test_a_bare_last_expression_is_printed(
    server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    _, texts = chat(server, tmp_path, ["```python\n6 * 7\n```", "\\boxed{42}"])
    assert texts[2] == "42"


def test_a_message_without_a_query_gets_the_default_reply(
    server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    _, texts = chat(server, tmp_path, ["Let me think.", "\\boxed{42}"])
    assert texts[2] == MathUserProxyAgent.DEFAULT_REPLY


def test_failed_code_keeps_only_its_imports(
    server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    replies = [
        "```python\nimport math\ny = 1 / 0\n```",
        "```python\nprint(math.factorial(4), 'y' in dir())\n```",
        "\\boxed{24}",
    ]
    _, texts = chat(server, tmp_path, replies)
    assert texts[2].startswith("Error: ") and "ZeroDivisionError" in texts[2]
    assert texts[4] == "24 False"


def test_too_many_invalid_queries_ask_the_solver_to_revisit(
    server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    bad = ["```python\nprint(1 / 0)\n```", "```python\nprint(undefined)\n```"]
    server.replies = [*bad, "\\boxed{1}"]
    proxy = MathUserProxyAgent(
        "mathproxyagent",
        max_invalid_q_per_step=1,
        code_execution_config={"work_dir": str(tmp_path), "use_docker": False},
    )
    entry = {"model": "gpt-4", "base_url": server.base_url, "api_key": "test"}
    assistant = AssistantAgent("assistant", llm_config={"config_list": [entry], "cache_seed": None})
    result = proxy.initiate_chat(
        assistant, message=proxy.message_generator, problem=PROBLEM, silent=True
    )
    texts = [content_str(m["content"]) for m in result.chat_history]
    assert texts[2].startswith("Error: ")
    assert texts[4].startswith("Several queries in a row have failed")


@pytest.mark.parametrize("prompt_type", ["default", "python", "two_tools"])
def test_each_prompt_type_sends_its_prompt(
    server: OpenAICompatibleTestServer, tmp_path: Path, prompt_type: str
) -> None:
    _, texts = chat(server, tmp_path, ["\\boxed{42}"], prompt_type=prompt_type)
    assert texts[0] == PROMPTS[prompt_type] + PROBLEM
    sent = server.requests[0]["messages"][-1]["content"]
    assert sent == PROMPTS[prompt_type] + PROBLEM


def test_the_three_prompts_differ_and_only_two_tools_offers_wolfram() -> None:
    assert len(set(PROMPTS.values())) == 3
    assert [("```wolfram" in p) for p in PROMPTS.values()] == [False, False, True]


def test_a_customized_prompt_replaces_the_prompt_type() -> None:
    proxy = MathUserProxyAgent()
    text = proxy.message_generator(proxy, None, {"problem": "1+1?", "customized_prompt": "Q: "})
    assert text == "Q: 1+1?"


class FakeWolframClient:
    """Answers like the wolframalpha client's result object, without a network."""

    def __init__(self, appid: str) -> None:
        self.appid = appid
        self.queries: list[str] = []

    def query(self, text: str) -> dict[str, Any]:
        self.queries.append(text)
        return {
            "@success": True,
            "pod": [
                {"@title": "Input interpretation", "subpod": {"plaintext": "solve x^2 = 4"}},
                {"@title": "Results", "subpod": [{"plaintext": "x = -2"}, {"plaintext": "x = 2"}]},
            ],
        }


def test_wolfram_blocks_are_answered_when_an_app_id_is_set(
    server: OpenAICompatibleTestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_module = types.ModuleType("wolframalpha")
    fake_module.Client = FakeWolframClient  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "wolframalpha", fake_module)
    monkeypatch.setenv("WOLFRAM_ALPHA_APPID", "test-app")
    replies = ["```wolfram\nsolve x^2 = 4\n```", "\\boxed{\\pm 2}"]
    proxy, texts = chat(server, tmp_path, replies, prompt_type="two_tools")
    assert texts[2] == "Assumption: solve x^2 = 4\nAnswer: x = -2\nx = 2"
    assert isinstance(proxy.wolfram, WolframAlphaAPIWrapper)
    assert proxy.wolfram.wolfram_alpha_appid == "test-app"


def test_without_an_app_id_a_wolfram_query_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WOLFRAM_ALPHA_APPID", raising=False)
    output, ok = MathUserProxyAgent().execute_one_wolfram_query("2+2")
    assert not ok and "WOLFRAM_ALPHA_APPID" in output


def test_an_unsuccessful_wolfram_result_is_reported() -> None:
    class Failing:
        def query(self, text: str) -> dict[str, Any]:
            return {"@success": False}

    output, ok = WolframAlphaAPIWrapper(wolfram_client=Failing()).run("gibberish")
    assert not ok and "did not understand" in output


def test_an_empty_boxed_answer_does_not_end_the_chat() -> None:
    proxy = MathUserProxyAgent()
    assert not proxy.is_termination_msg({"content": "So the answer is \\boxed{}."})
    assert proxy.is_termination_msg({"content": "So the answer is \\boxed{7}."})


def test_a_boxed_answer_beside_a_query_does_not_end_the_chat() -> None:
    proxy = MathUserProxyAgent()
    assert not proxy.is_termination_msg({"content": "\\boxed{7}?\n```python\nprint(7)\n```"})
    assert not proxy.is_termination_msg({"content": "\\boxed{7}?\n```wolfram\n3+4\n```"})
