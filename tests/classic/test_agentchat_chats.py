"""Classic sequential and nested chats: carryover, results, errors as in 0.2."""

from __future__ import annotations

from typing import Any

import pytest

import convogen as autogen
from convogen.agentchat import AssistantAgent, ConversableAgent, UserProxyAgent, initiate_chats
from convogen.agentchat.utils import consolidate_chat_info
from convogen.exception_utils import InvalidCarryOverType


def assistant(name: str, replies: Any) -> AssistantAgent:
    return AssistantAgent(name, llm_config=autogen.scripted_llm_config(replies), silent=True)


def person() -> UserProxyAgent:
    return UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, silent=True
    )


def test_sequential_chats_carry_summaries_over() -> None:
    user = person()
    first, second = assistant("first", ["It is 4."]), assistant("second", ["Doubled: 8."])
    results = user.initiate_chats(
        [
            {"recipient": first, "message": "2+2?", "max_turns": 1, "summary_method": "last_msg"},
            {
                "recipient": second,
                "message": "Double it.",
                "max_turns": 1,
                "carryover": "Be brief.",
            },
        ]
    )
    assert [r.summary for r in results] == ["It is 4.", "Doubled: 8."]
    assert second.chat_messages[user][0]["content"] == "Double it.\nContext: \nBe brief.\nIt is 4."
    assert user.get_chat_results() == results
    assert user.get_chat_results(1) is results[1]


def test_module_initiate_chats_needs_sender_and_recipient() -> None:
    user = person()
    results = initiate_chats(
        [{"sender": user, "recipient": assistant("a", ["ok"]), "message": "x", "max_turns": 1}]
    )
    assert results[0].summary == "ok"
    with pytest.raises(ValueError, match="recipient"):
        consolidate_chat_info([{"sender": user}])


def test_invalid_carryover_raises_the_classic_exception() -> None:
    user = person()
    with pytest.raises(InvalidCarryOverType, match="Carryover should be a string or a list"):
        user.initiate_chat(assistant("a", ["x"]), message="hi", carryover=42, max_turns=1)


def test_generate_init_message_appends_carryover() -> None:
    user = person()
    assert user.generate_init_message("Task", carryover=["a", {"content": "b"}]) == (
        "Task\nContext: \na\nb"
    )
    assert user.generate_init_message({"content": "Task"}, carryover="c") == {
        "content": "Task\nContext: \nc"
    }


def test_nested_chats_reply_with_the_last_summary() -> None:
    user = person()
    writer = assistant("writer", ["unused"])
    critic = assistant("critic", ["Nice, but shorter."])
    writer.register_nested_chats(
        [{"recipient": critic, "max_turns": 1, "summary_method": "last_msg"}], trigger=user
    )
    result = user.initiate_chat(writer, message="Write a haiku", max_turns=1)
    assert result.chat_history[-1]["content"] == "Nice, but shorter."
    assert critic.chat_messages[writer][0]["content"] == "Write a haiku"


def test_custom_nested_reply_gets_the_chat_queue() -> None:
    user = person()
    host = assistant("host", ["unused"])
    queue = [{"recipient": assistant("inner", ["inner"]), "max_turns": 1}]
    got: list[Any] = []

    def reply(chat_queue: Any, recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        got.append(chat_queue)
        return True, f"{len(chat_queue)} chat(s) queued"

    host.register_nested_chats(queue, trigger=user, reply_func_from_nested_chats=reply)
    result = user.initiate_chat(host, message="go", max_turns=1)
    assert got == [queue]
    assert result.chat_history[-1]["content"] == "1 chat(s) queued"


def test_async_nested_chats_need_a_chat_id() -> None:
    host = ConversableAgent("host", llm_config=False)
    with pytest.raises(ValueError, match="chat_id"):
        host.register_nested_chats([{"recipient": host}], trigger=None, use_async=True)


async def test_nested_chats_with_use_async_run_in_an_async_chat() -> None:
    user = person()
    host = assistant("host", ["unused"])
    inner = assistant("inner", ["from inner"])
    host.register_nested_chats(
        [{"recipient": inner, "max_turns": 1, "chat_id": 1}], trigger=user, use_async=True
    )
    result = await user.a_initiate_chat(host, message="go", max_turns=1)
    assert result.chat_history[-1]["content"] == "from inner"


async def test_classic_a_initiate_chats_follows_prerequisites_and_keys_by_chat_id() -> None:
    from convogen.agentchat.chat import a_initiate_chats

    user = person()
    first, second = assistant("first", ["It is 4."]), assistant("second", ["Doubled: 8."])
    results = await a_initiate_chats(
        [
            {
                "chat_id": 2,
                "prerequisites": [1],
                "sender": user,
                "recipient": second,
                "message": "Double it.",
                "max_turns": 1,
                "silent": True,
            },
            {
                "chat_id": 1,
                "sender": user,
                "recipient": first,
                "message": "2+2?",
                "max_turns": 1,
                "silent": True,
            },
        ]
    )
    assert {k: r.summary for k, r in results.items()} == {1: "It is 4.", 2: "Doubled: 8."}
    assert results[2].chat_id == 2
    assert second.chat_messages[user][0]["content"] == "Double it.\nContext: \nIt is 4."


async def test_classic_a_initiate_chats_needs_chat_ids() -> None:
    from convogen.agentchat.chat import a_initiate_chats

    with pytest.raises(ValueError, match="chat_id"):
        await a_initiate_chats([{"sender": person(), "recipient": assistant("a", ["x"])}])
