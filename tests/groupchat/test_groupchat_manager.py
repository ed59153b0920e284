"""The manager: hierarchies, resume, people in the group, async."""

import json
from typing import Any

import pytest

from convogen import (
    ConfigError,
    ConversableAgent,
    GroupChat,
    GroupChatManager,
    ScriptedIO,
    StopReason,
    UserProxyAgent,
)
from convogen.agents.termination import ends_with_terminate


def member(name: str, reply: str | None = None) -> ConversableAgent:
    agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)
    agent.register_reply(ConversableAgent, lambda *a: (True, reply or f"{name} speaking"))
    return agent


def names(gc: GroupChat) -> list[str]:
    return [m["name"] for m in gc.messages]


def test_every_member_sees_every_message_with_its_speaker() -> None:
    a, b, c = member("a"), member("b"), member("c")
    gc = GroupChat([a, b, c], max_round=3, speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    a.initiate_chat(manager, message="hello", silent=True)
    seen_by_c = [(m["name"], m["role"], m["content"]) for m in c.chat_messages[manager]]
    assert seen_by_c == [
        ("a", "user", "hello"),
        ("b", "user", "b speaking"),
        ("c", "assistant", "c speaking"),
    ]
    own = [(m["role"], m["content"]) for m in b.chat_messages[manager]]
    assert own == [("user", "hello"), ("assistant", "b speaking"), ("user", "c speaking")]


def test_nested_managers_form_a_hierarchy() -> None:
    x, y = member("x"), member("y", "inner result")
    inner = GroupChat([x, y], max_round=3, speaker_selection_method="round_robin")
    inner_manager = GroupChatManager(inner, name="inner_team", llm_config=False, silent=True)
    boss = member("boss")
    outer = GroupChat([boss, inner_manager], max_round=3, speaker_selection_method="round_robin")
    outer_manager = GroupChatManager(outer, name="outer", llm_config=False, silent=True)
    result = boss.initiate_chat(outer_manager, message="solve it", silent=True)
    assert names(outer) == ["boss", "inner_team", "boss"]
    assert names(inner) == ["outer", "x", "y"]
    assert outer.messages[1]["content"] == "inner result"  # the inner chat's last message
    assert result.stop_reason is StopReason.MAX_ROUND


def test_person_in_the_group_can_end_the_chat() -> None:
    io = ScriptedIO(["looks good", "exit"])
    person = UserProxyAgent("person", code_execution_config=False, io_stream=io, silent=True)
    helper = member("helper")
    gc = GroupChat([person, helper], max_round=10, speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    result = person.initiate_chat(manager, message="help me", silent=True)
    assert [m["content"] for m in gc.messages] == [
        "help me",
        "helper speaking",
        "looks good",
        "helper speaking",
    ]
    assert result.stop_reason is StopReason.HUMAN_EXIT
    assert result.stopped_by == "person"
    assert result.human_input == ["looks good", "exit"]


def test_resume_continues_from_a_saved_transcript() -> None:
    def build() -> tuple[list[ConversableAgent], GroupChat, GroupChatManager]:
        agents = [member("a"), member("b"), member("c", "c done TERMINATE")]
        gc = GroupChat(agents, max_round=10, speaker_selection_method="round_robin")
        manager = GroupChatManager(
            gc, llm_config=False, silent=True, is_termination_msg=ends_with_terminate
        )
        return agents, gc, manager

    agents, gc, manager = build()
    saved = [
        {"role": "user", "name": "a", "content": "start"},
        {"role": "user", "name": "b", "content": "b said this earlier"},
    ]
    last_agent, last_message = manager.resume(json.dumps(saved), silent=True)
    assert last_agent is agents[1] and last_message["content"] == "b said this earlier"
    assert names(gc) == ["a"]
    assert [m["content"] for m in agents[2].chat_messages[manager]] == ["start"]
    result = last_agent.initiate_chat(
        manager, message=last_message, clear_history=False, silent=True
    )
    assert names(gc) == ["a", "b", "c"]
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert [m["content"] for m in agents[2].chat_messages[manager]] == [
        "start",
        "b said this earlier",
        "c done TERMINATE",
    ]


def test_resume_rejects_unknown_speakers_and_bad_json() -> None:
    gc = GroupChat([member("a"), member("b")], speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False)
    with pytest.raises(ConfigError, match=r"messages\[1\]\['name'\]"):
        manager.resume([{"name": "a", "content": "x"}, {"name": "zed", "content": "y"}])
    with pytest.raises(ConfigError, match="not valid JSON"):
        manager.resume("[{")
    with pytest.raises(ConfigError, match="non-empty"):
        manager.resume([])


def test_resume_can_strip_the_termination_string() -> None:
    gc = GroupChat([member("a"), member("b")], speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False)
    _, last = manager.resume(
        [{"name": "a", "content": "x"}, {"name": "b", "content": "y TERMINATE"}],
        remove_termination_string="TERMINATE",
        silent=True,
    )
    assert last["content"] == "y "


def test_fresh_chat_starts_a_fresh_transcript() -> None:
    a, b = member("a"), member("b")
    gc = GroupChat([a, b], max_round=2, speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    a.initiate_chat(manager, message="first", silent=True)
    a.initiate_chat(manager, message="second", silent=True)
    assert [m["content"] for m in gc.messages] == ["second", "b speaking"]
    assert [m["content"] for m in b.chat_messages[manager]] == ["second", "b speaking"]


async def test_async_group_chat() -> None:
    async def slow(recipient: Any, messages: Any, sender: Any, config: Any) -> tuple[bool, str]:
        return True, f"{recipient.name} async"

    a = ConversableAgent("a", llm_config=False, human_input_mode="NEVER", silent=True)
    b = ConversableAgent("b", llm_config=False, human_input_mode="NEVER", silent=True)
    b.register_reply(ConversableAgent, slow)
    gc = GroupChat([a, b], max_round=2, speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    result = await a.a_initiate_chat(manager, message="hi", silent=True)
    assert gc.messages[-1]["content"] == "b async"
    assert result.stop_reason is StopReason.MAX_ROUND


def test_console_shows_next_speaker() -> None:
    io = ScriptedIO()
    a, b = member("a"), member("b")
    gc = GroupChat([a, b], max_round=2, speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False, io_stream=io)
    a.initiate_chat(manager, message="hi", silent=True)
    assert "Next speaker: b" in io.output
    assert "b (to chat_manager):" in io.output
