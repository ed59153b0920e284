"""The reply pipeline's per-turn shortcuts keep its behaviour: triggers, awaiting, stored copies."""

import asyncio
from collections.abc import Generator
from typing import Any

from convogen import ConversableAgent
from convogen.agents.history import stored_copy


def make(name: str, cls: type[ConversableAgent] = ConversableAgent) -> ConversableAgent:
    return cls(name, llm_config=False, human_input_mode="NEVER", silent=True)


class Special(ConversableAgent):
    """A sender class of its own, for class triggers."""


def test_a_reply_registered_after_the_first_turn_takes_part() -> None:
    agent, peer = make("a"), make("b")
    peer.send("hi", agent, request_reply=False)
    assert agent.generate_reply(sender=peer) == ""  # the default auto reply
    agent.register_reply([ConversableAgent, None], lambda *args: (True, "late"))
    assert agent.generate_reply(sender=peer) == "late"


def test_a_class_trigger_answers_only_senders_of_that_class() -> None:
    agent, plain, special = make("a"), make("p"), make("s", Special)
    agent.register_reply(Special, lambda *args: (True, "special"))
    plain.send("hi", agent, request_reply=False)
    special.send("hi", agent, request_reply=False)
    assert agent.generate_reply(sender=plain) != "special"
    assert agent.generate_reply(sender=special) == "special"
    assert agent.generate_reply(sender=plain) != "special"


def test_a_callable_trigger_is_asked_on_every_reply() -> None:
    agent, peer = make("a"), make("b")
    asked: list[Any] = []

    def trigger(sender: Any) -> bool:
        asked.append(sender)
        return len(asked) == 2

    agent.register_reply(trigger, lambda *args: (True, "second"))
    peer.send("hi", agent, request_reply=False)
    assert agent.generate_reply(sender=peer) != "second"
    assert agent.generate_reply(sender=peer) == "second"
    assert asked == [peer, peer]


class Later:
    """An awaitable that is not a coroutine."""

    def __await__(self) -> Generator[Any, None, tuple[bool, str]]:
        yield from asyncio.sleep(0).__await__()
        return True, "awaited"


def test_an_awaitable_that_is_not_a_coroutine_is_awaited() -> None:
    agent, peer = make("a"), make("b")
    agent.register_reply([ConversableAgent, None], lambda *args: Later())
    peer.send("hi", agent, request_reply=False)
    assert agent.generate_reply(sender=peer) == "awaited"


def test_a_text_is_stored_as_the_general_path_stores_a_plain_message() -> None:
    as_text = stored_copy("hello", role="user", name="b")
    as_dict = stored_copy({"content": "hello"}, role="user", name="b")
    assert as_text == as_dict == {"content": "hello", "role": "user", "name": "b"}
    assert list(as_text) == list(as_dict)
