"""initiate_chats with carryover, and nested chats."""

from typing import Any

import pytest

from convogen import (
    AssistantAgent,
    ConfigError,
    ConversableAgent,
    StopReason,
    UserProxyAgent,
    initiate_chats,
)
from convogen.agents.termination import ends_with_terminate
from convogen.llm.scripted import scripted_llm_config


def echo_model(prefix: str) -> Any:
    """A model that answers with the first line of the first user message, then TERMINATE."""

    def reply(messages: list[dict[str, Any]]) -> str:
        first = next(m for m in messages if m["role"] == "user")
        return f"{prefix}: {first['content']} TERMINATE"

    return reply


def user() -> UserProxyAgent:
    return UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
    )


def bot(name: str, model: Any) -> AssistantAgent:
    return AssistantAgent(name, llm_config=scripted_llm_config(model), silent=True)


def test_initiate_chats_carries_summaries_over() -> None:
    proxy = user()
    researcher = bot("researcher", ["Tides are caused by the moon. TERMINATE"])
    writer = bot("writer", echo_model("poem about"))
    results = proxy.initiate_chats(
        [
            {"recipient": researcher, "message": "Why are there tides?"},
            {"recipient": writer, "message": "Write a poem.", "summary_method": "last_msg"},
        ]
    )
    assert [r.stop_reason for r in results] == [StopReason.TERMINATION_MESSAGE] * 2
    assert results[0].summary == "Tides are caused by the moon."
    first_message = results[1].chat_history[0]["content"]
    assert first_message == "Write a poem.\nContext: \nTides are caused by the moon."
    assert "Tides are caused by the moon." in results[1].summary


def test_carryover_can_exclude_finished_chats_and_add_its_own() -> None:
    proxy = user()
    a = bot("a", ["A-summary TERMINATE"])
    b = bot("b", ["B-summary TERMINATE"])
    c = bot("c", echo_model("c"))
    results = initiate_chats(
        [
            {"sender": proxy, "recipient": a, "message": "1"},
            {"sender": proxy, "recipient": b, "message": "2"},
            {
                "sender": proxy,
                "recipient": c,
                "message": "3",
                "carryover": "given",
                "finished_chat_indexes_to_exclude_from_carryover": [0],
            },
        ]
    )
    assert results[2].chat_history[0]["content"] == "3\nContext: \ngiven\nB-summary"


def test_initiate_chats_validates_the_queue() -> None:
    with pytest.raises(ConfigError, match=r"chat_queue\[0\]\['recipient'\]"):
        initiate_chats([{"sender": user(), "message": "x"}])
    with pytest.raises(ConfigError, match="chat_queue"):
        initiate_chats("not a list")  # type: ignore[arg-type]


async def test_async_initiate_chats() -> None:
    proxy = user()
    results = await proxy.a_initiate_chats(
        [{"recipient": bot("a", ["x TERMINATE"]), "message": "1"}]
    )
    assert results[0].summary == "x"


def test_nested_chats_reply_with_the_summary_of_the_inner_chats() -> None:
    proxy = user()
    writer = bot("writer", ["Draft: roses are red. TERMINATE", "Final: roses are red. TERMINATE"])
    critic = bot("critic", echo_model("critique of"))
    polisher = bot("polisher", ["Polished poem. TERMINATE"])
    writer.register_nested_chats(
        [
            {"recipient": critic, "summary_method": "last_msg", "max_turns": 1},
            {"recipient": polisher, "message": "Polish it.", "max_turns": 1},
        ],
        trigger=proxy,
    )
    result = proxy.initiate_chat(writer, message="Write a poem", max_turns=1)
    assert result.chat_history[-1]["content"] == "Polished poem."
    critic_chat = critic.chat_messages[writer]
    assert critic_chat[0]["content"] == "Write a poem"  # the triggering message starts it
    assert polisher.chat_messages[writer][0]["content"].startswith("Polish it.\nContext: ")
    assert writer.client is not None and writer.client.usage.records == []  # never asked


def test_nested_chat_only_runs_for_its_trigger_and_accepts_callables() -> None:
    proxy, other = user(), user()
    inner = bot("inner", ["inner answer TERMINATE"])
    host = bot("host", ["host answer"])

    def message(recipient: Any, messages: Any, sender: Any, config: Any) -> str:
        return f"from {sender.name}: {messages[-1]['content']}"

    def reply(queue: Any, recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        results = initiate_chats(
            [
                {
                    "sender": recipient,
                    **chat,
                    "message": message(recipient, messages, sender, config),
                }
                for chat in queue
            ]
        )
        return True, f"{len(results)} chat(s): {results[0].summary}"

    host.register_nested_chats(
        [{"recipient": inner, "message": message, "max_turns": 1}],
        trigger=lambda sender: sender is proxy,
        reply_func_from_nested_chats=reply,
    )
    result = proxy.initiate_chat(host, message="hello", max_turns=1)
    assert result.chat_history[-1]["content"] == "1 chat(s): inner answer"
    assert inner.chat_messages[host][0]["content"] == "from user: hello"
    other_result = other.initiate_chat(host, message="hi", max_turns=1)
    assert other_result.chat_history[-1]["content"] == "host answer"


def test_register_nested_chats_validates_its_arguments() -> None:
    host = ConversableAgent("host", llm_config=False)
    with pytest.raises(ConfigError, match="chat_queue"):
        host.register_nested_chats([], trigger=None)
    with pytest.raises(ConfigError, match="reply_func_from_nested_chats"):
        host.register_nested_chats(
            [{"recipient": host}], trigger=None, reply_func_from_nested_chats="x"
        )
