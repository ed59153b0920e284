"""``admin_name`` and ``enable_clear_history`` do what they do in AutoGen 0.2 (not no-ops)."""

from __future__ import annotations

from typing import Any

import pytest

from convogen import ConfigError, ConversableAgent, GroupChat, GroupChatManager


def member(name: str, reply: str | None = None) -> ConversableAgent:
    agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)
    agent.register_reply(ConversableAgent, lambda *a: (True, reply or f"{name} speaking"))
    return agent


def interrupted(name: str) -> ConversableAgent:
    """A member whose reply is cut off by Ctrl-C."""

    def press_ctrl_c(*args: Any) -> tuple[bool, str]:
        raise KeyboardInterrupt

    agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)
    agent.register_reply(ConversableAgent, press_ctrl_c)
    return agent


def manager_of(gc: GroupChat) -> GroupChatManager:
    return GroupChatManager(gc, llm_config=False, silent=True)


# ------------------------------------------------------------------------------ admin_name
def test_ctrl_c_during_a_reply_hands_the_turn_to_the_agent_named_admin() -> None:
    boss, worker = member("boss", "boss steps in"), interrupted("worker")
    gc = GroupChat(
        [boss, worker], max_round=2, speaker_selection_method="round_robin", admin_name="boss"
    )
    boss.initiate_chat(manager_of(gc), message="start", silent=True)
    assert [(m["name"], m["content"]) for m in gc.messages] == [
        ("boss", "start"),
        ("boss", "boss steps in"),
    ]


def test_ctrl_c_is_raised_again_when_no_member_bears_the_admin_name() -> None:
    lead, worker = member("lead"), interrupted("worker")
    gc = GroupChat([lead, worker], max_round=2, speaker_selection_method="round_robin")
    assert gc.admin_name == "Admin"
    with pytest.raises(KeyboardInterrupt):
        lead.initiate_chat(manager_of(gc), message="start", silent=True)


def test_resume_takes_messages_from_the_admin_name_as_the_managers() -> None:
    a, b = member("a"), member("b")
    gc = GroupChat([a, b], max_round=2, speaker_selection_method="round_robin", admin_name="Ops")
    manager = manager_of(gc)
    speaker, last = manager.resume(
        [{"name": "a", "content": "1"}, {"name": "Ops", "content": "carry on"}], silent=True
    )
    assert speaker is manager and last["content"] == "carry on"


def test_resume_refuses_a_name_that_is_neither_member_admin_nor_manager() -> None:
    a, b = member("a"), member("b")
    gc = GroupChat([a, b], max_round=2, speaker_selection_method="round_robin", admin_name="Ops")
    with pytest.raises(ConfigError, match="Admin"):
        manager_of(gc).resume([{"name": "Admin", "content": "hi"}], silent=True)


# --------------------------------------------------------------------- enable_clear_history
def test_clear_history_naming_an_agent_and_a_count_trims_only_that_agents_history() -> None:
    a, b, c = member("a"), member("b", "b1"), member("c", "ok. clear history b 1")
    gc = GroupChat(
        [a, b, c],
        max_round=3,
        speaker_selection_method="round_robin",
        enable_clear_history=True,
    )
    manager = manager_of(gc)
    a.initiate_chat(manager, message="start", silent=True)
    assert [m["content"] for m in b.chat_messages[manager]] == ["b1", "ok."]
    assert [m["content"] for m in a.chat_messages[manager]] == ["start", "b1", "ok."]
    assert [m["content"] for m in gc.messages] == ["start", "b1", "ok."]
