"""Classic two-agent chats written as the AutoGen 0.2 docs write them (scripted models)."""

from __future__ import annotations

from typing import Any

import pytest

import convogen as autogen
from convogen.agentchat import Agent, AssistantAgent, ConversableAgent, UserProxyAgent
from convogen.agentchat.chat import ChatResult
from convogen.agentchat.utils import gather_usage_summary
from convogen.agents.termination import ends_with_terminate
from convogen.exception_utils import SenderRequired


def scripted(replies: Any, **entry: Any) -> dict[str, Any]:
    return autogen.scripted_llm_config(replies, **entry)


def pair(replies: Any, **user_kwargs: Any) -> tuple[UserProxyAgent, AssistantAgent]:
    assistant = AssistantAgent("assistant", llm_config=scripted(replies), silent=True)
    user_kwargs.setdefault("human_input_mode", "NEVER")
    user = UserProxyAgent("user", code_execution_config=False, silent=True, **user_kwargs)
    return user, assistant


def test_default_termination_is_an_exact_terminate_message() -> None:
    user, assistant = pair(["Almost done. TERMINATE", "TERMINATE"])
    result = user.initiate_chat(assistant, message="go")
    contents = [m["content"] for m in result.chat_history]
    assert contents == ["go", "Almost done. TERMINATE", "", "TERMINATE"]
    assert result.stop_reason is autogen.StopReason.TERMINATION_MESSAGE


def test_ends_with_terminate_is_an_opt_in_rule() -> None:
    user, assistant = pair(["Almost done. TERMINATE"], is_termination_msg=ends_with_terminate)
    result = user.initiate_chat(assistant, message="go")
    assert result.chat_history[-1]["content"] == "Almost done. TERMINATE"


def test_chat_result_has_the_0_2_fields_and_cost_shape() -> None:
    user, assistant = pair(["TERMINATE"], max_consecutive_auto_reply=1)
    assistant.client.clear_usage_summary()  # type: ignore[union-attr]
    result = user.initiate_chat(assistant, message="hi", summary_method="last_msg")
    assert isinstance(result, ChatResult)
    assert isinstance(result.chat_id, int)
    assert result.human_input == []
    assert result.summary == ""
    assert set(result.cost) == {
        "usage_including_cached_inference",
        "usage_excluding_cached_inference",
    }
    usage = result.cost["usage_including_cached_inference"]
    assert set(usage["scripted"]) == {"cost", "prompt_tokens", "completion_tokens", "total_tokens"}
    assert "total_cost" in usage


def test_gather_usage_summary_adds_up_the_agents_clients() -> None:
    one = AssistantAgent("one", llm_config=scripted(["a"], price=[1.0, 1.0]), silent=True)
    two = AssistantAgent("two", llm_config=scripted(["b"], price=[1.0, 1.0]), silent=True)
    for agent in (one, two):
        agent.generate_reply([{"role": "user", "content": "hello"}])
    summary = gather_usage_summary([one, two, UserProxyAgent("u", code_execution_config=False)])
    usage = summary["usage_including_cached_inference"]
    expected = one.get_total_usage()["scripted"]["total_tokens"] * 2  # type: ignore[index]
    assert usage["scripted"]["total_tokens"] == expected
    assert usage["total_cost"] == pytest.approx(
        one.get_total_usage()["total_cost"] + two.get_total_usage()["total_cost"]  # type: ignore[index]
    )


def test_gather_usage_summary_without_clients_is_zero_cost() -> None:
    nobody = UserProxyAgent("u", code_execution_config=False)
    assert gather_usage_summary([nobody]) == {
        "usage_including_cached_inference": {"total_cost": 0},
        "usage_excluding_cached_inference": {"total_cost": 0},
    }


def test_callable_message_gets_sender_recipient_and_context() -> None:
    user, assistant = pair(["TERMINATE"])
    seen: list[Any] = []

    def message(sender: Any, recipient: Any, context: dict[str, Any]) -> str:
        seen.append((sender.name, recipient.name, context["topic"]))
        return f"Tell me about {context['topic']}."

    result = user.initiate_chat(assistant, message=message, topic="tides")
    assert seen == [("user", "assistant", "tides")]
    assert result.chat_history[0]["content"] == "Tell me about tides."


def test_human_input_comes_from_the_builtin_input(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["please elaborate", "exit"])
    prompts: list[str] = []

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", fake_input)
    assistant = AssistantAgent("assistant", llm_config=scripted(["one", "two"]), silent=True)
    user = UserProxyAgent("user", human_input_mode="ALWAYS", code_execution_config=False)
    user.silent = True
    result = user.initiate_chat(assistant, message="start")
    assert result.human_input == ["please elaborate", "exit"]
    assert [m["content"] for m in result.chat_history] == [
        "start",
        "one",
        "please elaborate",
        "two",
    ]
    assert len(prompts) == 2


def test_a_receive_only_agent_can_be_sent_to() -> None:
    class Inbox(Agent):
        def __init__(self, name: str) -> None:
            self._name = name
            self.received: list[tuple[Any, str]] = []

        @property
        def name(self) -> str:
            return self._name

        @property
        def description(self) -> str:
            return "collects messages"

        def receive(
            self, message: Any, sender: Any, request_reply: bool | None = None, silent: Any = False
        ) -> None:
            self.received.append((message, sender.name))

    inbox = Inbox("inbox")
    sender = ConversableAgent("sender", llm_config=False, silent=True)
    sender.send("hello", inbox)
    assert inbox.received == [("hello", "sender")]
    assert sender.chat_messages[inbox][-1]["content"] == "hello"


def test_a_receive_only_agent_gets_the_reply_to_its_message() -> None:
    class Asker(Agent):
        def __init__(self) -> None:
            self.got: list[Any] = []

        @property
        def name(self) -> str:
            return "asker"

        @property
        def description(self) -> str:
            return ""

        def receive(
            self, message: Any, sender: Any, request_reply: bool | None = None, silent: Any = False
        ) -> None:
            self.got.append(message)

    asker = Asker()
    bot = ConversableAgent("bot", llm_config=scripted(["pong"]), human_input_mode="NEVER")
    bot.silent = True
    bot.receive("ping", asker, request_reply=True)
    assert asker.got == ["pong"]


async def test_async_chat_runs_the_async_twins() -> None:
    user, assistant = pair(["TERMINATE"])
    result = await user.a_initiate_chat(assistant, message="hi")
    assert result.chat_history[-1]["content"] == "TERMINATE"


async def test_a_receive_only_agent_can_be_sent_to_in_an_async_chat() -> None:
    class Inbox(Agent):
        def __init__(self) -> None:
            self.received: list[Any] = []

        @property
        def name(self) -> str:
            return "inbox"

        @property
        def description(self) -> str:
            return ""

        def receive(
            self, message: Any, sender: Any, request_reply: bool | None = None, silent: Any = False
        ) -> None:
            self.received.append(message)

    inbox = Inbox()
    await ConversableAgent("sender", llm_config=False, silent=True).a_send("hi", inbox)
    assert inbox.received == ["hi"]


def test_a_name_trigger_without_a_sender_raises_sender_required() -> None:
    agent = ConversableAgent("a", llm_config=False, human_input_mode="NEVER")
    agent.register_reply("someone", lambda *args: (True, "x"))
    with pytest.raises(SenderRequired):
        agent.generate_reply([{"role": "user", "content": "hi"}])
