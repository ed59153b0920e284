"""The relay and selection fast paths keep every copy, role, event and log entry as before."""

from typing import Any

import pytest

from convogen import ConversableAgent, GroupChat, GroupChatManager
from convogen.errors import UndefinedNextAgentError
from convogen.events import MessageSent
from convogen.interception import add_sink, remove_sink


def member(name: str) -> ConversableAgent:
    agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)
    agent.register_reply(ConversableAgent, lambda *a: (True, f"{name} speaking"))
    return agent


class Collect:
    def __init__(self) -> None:
        self.events: list[Any] = []

    def on_event(self, event: Any) -> None:
        self.events.append(event)


def test_broadcast_stores_assistant_copy_for_sender_and_user_copy_for_each_recipient() -> None:
    sender, a, b = member("sender"), member("a"), member("b")
    sender.broadcast({"content": "hi", "role": "user", "name": "x"}, [a, b], silent=True)
    for peer in (a, b):
        assert sender.chat_messages[peer] == [{"content": "hi", "name": "x", "role": "assistant"}]
        assert peer.chat_messages[sender] == [{"content": "hi", "name": "x", "role": "user"}]


def test_broadcast_keeps_assistant_role_of_tool_calls_on_both_sides() -> None:
    sender, a = member("sender"), member("a")
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    sender.broadcast({"content": None, "tool_calls": [call]}, [a], silent=True)
    assert sender.chat_messages[a][0]["role"] == "assistant"
    assert a.chat_messages[sender][0]["role"] == "assistant"


def test_broadcast_keeps_tool_role_of_tool_responses_on_both_sides() -> None:
    sender, a = member("sender"), member("a")
    response = {"tool_call_id": "c1", "role": "tool", "content": 3}
    sender.broadcast({"content": "3", "tool_responses": [response]}, [a], silent=True)
    assert sender.chat_messages[a][0]["role"] == "tool"
    assert a.chat_messages[sender][0]["role"] == "tool"
    assert a.chat_messages[sender][0]["tool_responses"][0]["content"] == "3"


def test_broadcast_emits_one_message_sent_per_recipient_with_the_sender_copy() -> None:
    sender, a, b = member("sender"), member("a"), member("b")
    sink = Collect()
    add_sink(sink)
    try:
        sender.broadcast("hi", [a, b], silent=True)
    finally:
        remove_sink(sink)
    sent = [e for e in sink.events if isinstance(e, MessageSent)]
    assert [(e.recipient, e.message["role"]) for e in sent] == [(a, "assistant"), (b, "assistant")]


def test_relay_of_a_message_from_outside_the_group_reaches_every_member() -> None:
    outsider, a, b = member("outsider"), member("a"), member("b")
    gc = GroupChat([a, b], max_round=1, speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    outsider.initiate_chat(manager, message="hello", silent=True)
    assert [m["content"] for m in a.chat_messages[manager]] == ["hello"]
    assert [m["content"] for m in b.chat_messages[manager]] == ["hello"]


def test_relay_skips_only_the_speaker() -> None:
    a, b, c = member("a"), member("b"), member("c")
    gc = GroupChat([a, b, c], max_round=1, speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    b.initiate_chat(manager, message="hello", silent=True)
    assert set(manager.chat_messages) == {a, b, c}
    assert [m["role"] for m in manager.chat_messages[b]] == ["user"]  # b's own, received
    assert [m["role"] for m in manager.chat_messages[a]] == ["assistant"]


def test_selection_log_names_all_members_and_follows_a_changed_member_list() -> None:
    a, b, c = member("a"), member("b"), member("c")
    gc = GroupChat([a, b], max_round=2, speaker_selection_method="round_robin")
    gc.record(b, "round_robin", "why", [a, b])
    gc.agents.append(c)
    gc.record(c, "round_robin", "why", [a, b, c])
    gc.record(a, "round_robin", "why", [a, c])
    assert [s.candidates for s in gc.selection_log] == [("a", "b"), ("a", "b", "c"), ("a", "c")]
    assert gc.member_names() == ("a", "b", "c")


def test_next_agent_among_all_members_wraps_around_and_starts_for_an_outsider() -> None:
    a, b, c = member("a"), member("b"), member("c")
    gc = GroupChat([a, b, c], max_round=2)
    assert gc.next_agent(c) is a
    assert gc.next_agent(a, [a, b, c]) is b
    assert gc.next_agent(member("outsider")) is a


def test_next_agent_of_an_emptied_group_is_an_error() -> None:
    gc = GroupChat([member("a")], max_round=2)
    gc.agents.clear()
    with pytest.raises(UndefinedNextAgentError):
        gc.next_agent(member("b"))
