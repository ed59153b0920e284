"""Classic ``SocietyOfMindAgent``: an inner group chat, answered with a prepared response."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from convogen.agentchat import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent
from convogen.agentchat.contrib.society_of_mind_agent import SocietyOfMindAgent
from convogen.errors import ConfigError
from convogen.llm.test_server import OpenAICompatibleTestServer

INNER_REPLIES = {"Writer": "Draft: 41 + 1 = 42", "Checker": "TERMINATE"}


def answer(body: dict[str, Any]) -> str:
    """Inner members answer by their role; the response preparer gets the final answer."""
    system = str(body["messages"][0]["content"])
    if "transcript" in system:
        return "The answer is 42."
    return INNER_REPLIES[system.split()[-1]]


@pytest.fixture
def server() -> Iterator[OpenAICompatibleTestServer]:
    with OpenAICompatibleTestServer(answer) as srv:
        yield srv


def config(server: OpenAICompatibleTestServer) -> dict[str, Any]:
    entry = {"model": "gpt-4o", "base_url": server.base_url, "api_key": "sk-test"}
    return {"config_list": [entry], "cache_seed": None}


def inner_manager(server: OpenAICompatibleTestServer) -> GroupChatManager:
    writer = AssistantAgent("writer", "You are Writer", llm_config=config(server), silent=True)
    checker = AssistantAgent("checker", "You are Checker", llm_config=config(server), silent=True)
    groupchat = GroupChat(
        agents=[writer, checker], messages=[], speaker_selection_method="round_robin", max_round=6
    )
    return GroupChatManager(groupchat=groupchat, llm_config=False, silent=True)


def user() -> UserProxyAgent:
    return UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        max_consecutive_auto_reply=0,
        silent=True,
    )


def test_answers_with_the_llm_prepared_response_after_the_inner_chat(
    server: OpenAICompatibleTestServer,
) -> None:
    manager = inner_manager(server)
    society = SocietyOfMindAgent("society", chat_manager=manager, llm_config=config(server))
    result = user().initiate_chat(society, message="What is 41 + 1?", silent=True)
    assert [m["content"] for m in result.chat_history] == ["What is 41 + 1?", "The answer is 42."]
    inner = [m["content"] for m in manager.groupchat.messages]
    assert inner == ["What is 41 + 1?", "Draft: 41 + 1 = 42", "TERMINATE"]


def test_response_preparer_reads_the_inner_transcript(
    server: OpenAICompatibleTestServer,
) -> None:
    society = SocietyOfMindAgent(
        "society", chat_manager=inner_manager(server), llm_config=config(server)
    )
    user().initiate_chat(society, message="What is 41 + 1?", silent=True)
    prepare = json.dumps(server.requests[-1]["messages"])
    assert "Draft: 41 + 1 = 42" in prepare
    assert server.requests[-1]["messages"][-1]["role"] == "system"


def test_without_a_model_it_answers_the_last_inner_message_without_terminate(
    server: OpenAICompatibleTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(INNER_REPLIES, "Checker", "Checked: 42 TERMINATE")
    manager = inner_manager(server)
    manager.groupchat.max_round = 3
    society = SocietyOfMindAgent("society", chat_manager=manager)
    result = user().initiate_chat(society, message="What is 41 + 1?", silent=True)
    assert result.chat_history[-1]["content"] == "Checked: 42"


def test_a_callable_response_preparer_gets_the_agent_and_inner_messages(
    server: OpenAICompatibleTestServer,
) -> None:
    seen: list[Any] = []

    def prepare(agent: SocietyOfMindAgent, messages: list[dict[str, Any]]) -> str:
        seen.append((agent.name, len(messages)))
        return "prepared"

    society = SocietyOfMindAgent(
        "society", chat_manager=inner_manager(server), response_preparer=prepare
    )
    result = user().initiate_chat(society, message="q", silent=True)
    assert seen == [("society", 3)]
    assert result.chat_history[-1]["content"] == "prepared"


def test_inner_members_see_the_outer_history_before_the_question(
    server: OpenAICompatibleTestServer,
) -> None:
    manager = inner_manager(server)
    society = SocietyOfMindAgent(
        "society", chat_manager=manager, response_preparer=lambda a, m: "ok"
    )
    outer = [
        {"role": "user", "content": "Earlier question", "name": "user"},
        {"role": "assistant", "content": "Earlier answer"},
        {"role": "user", "content": "Now this", "name": "user"},
    ]
    society.generate_inner_monologue_reply(messages=outer, sender=user())
    writer = manager.groupchat.agents[0]
    history = writer.chat_messages[manager]
    assert [m["content"] for m in history[:2]] == ["Earlier question", "Earlier answer"]
    assert history[1]["name"] == "society"


def test_update_chat_manager_replaces_the_inner_chat(server: OpenAICompatibleTestServer) -> None:
    first, second = inner_manager(server), inner_manager(server)
    society = SocietyOfMindAgent("society", chat_manager=first)
    society.update_chat_manager(second)
    assert society.chat_manager is second


def test_without_a_chat_manager_it_gives_no_inner_reply(
    server: OpenAICompatibleTestServer,
) -> None:
    society = SocietyOfMindAgent("society", chat_manager=inner_manager(server))
    society.update_chat_manager(None)
    assert society.generate_inner_monologue_reply(messages=[{"content": "q"}]) == (False, None)


def test_chat_manager_must_be_a_group_chat_manager() -> None:
    with pytest.raises(ConfigError, match="chat_manager"):
        SocietyOfMindAgent("society", chat_manager="manager")  # type: ignore[arg-type]


async def test_in_an_outer_group_chat_only_the_final_answer_is_shown(
    server: OpenAICompatibleTestServer,
) -> None:
    society = SocietyOfMindAgent(
        "society", chat_manager=inner_manager(server), llm_config=config(server), silent=True
    )
    asker = UserProxyAgent(
        "asker",
        human_input_mode="NEVER",
        code_execution_config=False,
        default_auto_reply="TERMINATE",
        silent=True,
    )
    outer = GroupChat(
        agents=[asker, society], messages=[], speaker_selection_method="round_robin", max_round=4
    )
    manager = GroupChatManager(groupchat=outer, llm_config=False, silent=True)
    await asker.a_initiate_chat(manager, message="What is 41 + 1?")
    assert [(m["name"], m["content"]) for m in outer.messages] == [
        ("asker", "What is 41 + 1?"),
        ("society", "The answer is 42."),
        ("asker", "TERMINATE"),
    ]
