from typing import Any

import pytest

from convogen import ConversableAgent
from convogen.errors import ChatError, MessageError
from convogen.llm.scripted import scripted_llm_config


def make(name: str, replies: list[Any] | None = None, **kwargs: Any) -> ConversableAgent:
    llm = scripted_llm_config(replies) if replies is not None else False
    return ConversableAgent(name, llm_config=llm, human_input_mode="NEVER", silent=True, **kwargs)


def test_send_stores_each_side_with_its_role() -> None:
    alice, bob = make("alice"), make("bob")
    alice.send("hello", bob, request_reply=False)
    assert alice.chat_messages[bob] == [{"content": "hello", "role": "assistant", "name": "alice"}]
    assert bob.chat_messages[alice] == [{"content": "hello", "role": "user", "name": "alice"}]


def test_request_reply_gets_exactly_one_reply_outside_a_chat() -> None:
    alice, bob = make("alice"), make("bob", ["hi alice", "never sent"])
    alice.send("hello", bob, request_reply=True)
    assert [m["content"] for m in alice.chat_messages[bob]] == ["hello", "hi alice"]
    assert bob.client is not None and bob.client.clients[0].calls == 1  # type: ignore[attr-defined]


def test_without_request_reply_no_reply_is_generated() -> None:
    alice, bob = make("alice"), make("bob", ["never"])
    alice.send("hello", bob)
    assert len(bob.chat_messages[alice]) == 1


def test_invalid_message_is_rejected_and_nothing_is_stored() -> None:
    alice, bob = make("alice"), make("bob")
    with pytest.raises(MessageError):
        alice.send({"role": "user"}, bob)
    assert alice.chat_messages[bob] == [] and bob.chat_messages[alice] == []


def test_last_message_needs_an_agent_when_several_conversations_exist() -> None:
    alice, bob, carol = make("alice"), make("bob"), make("carol")
    assert alice.last_message() is None
    alice.send("to bob", bob)
    assert alice.last_message() == alice.chat_messages[bob][-1]
    alice.send("to carol", carol)
    assert alice.last_message(carol)["content"] == "to carol"  # type: ignore[index]
    with pytest.raises(ChatError, match="name the agent"):
        alice.last_message()


def test_clear_history_can_preserve_recent_messages() -> None:
    alice, bob = make("alice"), make("bob")
    for text in ("one", "two", "three"):
        alice.send(text, bob)
    alice.clear_history(bob, nr_messages_to_preserve=1)
    assert [m["content"] for m in alice.chat_messages[bob]] == ["three"]
    alice.clear_history()
    assert alice.chat_messages[bob] == []


def test_reset_clears_history_counters_and_usage() -> None:
    alice, bob = make("alice"), make("bob", ["a reply"])
    alice.send("hi", bob, request_reply=True)
    assert bob.get_total_usage() is not None
    bob.reset()
    assert bob.chat_messages[alice] == []
    assert bob.get_total_usage() is None


def test_generate_reply_with_explicit_messages_uses_the_model() -> None:
    bot = make("bot", ["four"])
    assert bot.generate_reply([{"role": "user", "content": "2+2?"}]) == "four"


def test_default_auto_reply_is_used_when_no_reply_function_answers() -> None:
    alice, bob = make("alice"), make("bob", default_auto_reply="(auto)")
    alice.send("hi", bob, request_reply=True)
    assert alice.chat_messages[bob][-1]["content"] == "(auto)"


def test_model_sees_the_system_message_first() -> None:
    seen: list[Any] = []

    def model(messages: list[Any]) -> str:
        seen.extend(messages)
        return "ok"

    alice, bob = make("alice"), make("bob", model, system_message="Be brief.")  # type: ignore[arg-type]
    alice.send("hi", bob, request_reply=True)
    assert seen[0] == {"content": "Be brief.", "role": "system"}
    assert seen[1]["content"] == "hi" and seen[1]["role"] == "user"
