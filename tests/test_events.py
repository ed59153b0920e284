"""Conversation events: typed dataclasses sent through ``emit`` to sinks that ``match`` on them."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from convogen import ConversableAgent, GroupChat, GroupChatManager
from convogen.events import (
    ChatFinished,
    ChatStarted,
    Event,
    LlmCacheHit,
    MessageSent,
    SpeakerSelected,
)
from convogen.interception import EventSink, add_sink, emit, has_sinks, remove_sink, sinking


class Collector:
    """A user sink written as the docs show: ``match`` on the classes it cares about."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.lines: list[str] = []

    def on_event(self, event: Event) -> None:
        self.events.append(event)
        match event:
            case MessageSent(sender=sender, recipient=recipient, message=message):
                self.lines.append(f"{sender.name}->{recipient.name}: {message.get('content')}")
            case ChatFinished(result=result):
                self.lines.append(f"finished: {result.stop_reason}")
            case _:
                pass


@pytest.fixture
def sink() -> Iterator[Collector]:
    collector = Collector()
    add_sink(collector)
    try:
        yield collector
    finally:
        remove_sink(collector)


def member(name: str, reply: str | None = None) -> ConversableAgent:
    agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)
    agent.register_reply(ConversableAgent, lambda *a: (True, reply or f"{name} speaking"))
    return agent


def test_a_sink_receives_the_event_object_emitted(sink: Collector) -> None:
    event = LlmCacheHit(request={"model": "m"}, response={"choices": []})
    emit(event)
    assert sink.events == [event] and sink.events[0] is event


def test_a_user_sink_satisfies_the_protocol() -> None:
    sinks: list[EventSink] = [Collector()]  # mypy checks the signature against the protocol
    assert len(sinks) == 1


def test_events_are_frozen_and_slotted() -> None:
    event = ChatStarted(chat_id=1, sender=member("a"), recipient=member("b"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.chat_id = 2  # type: ignore[misc]  # the point: assignment must fail
    assert not hasattr(event, "__dict__")


def test_a_two_agent_chat_emits_start_messages_and_finish_in_order(sink: Collector) -> None:
    a, b = member("a"), member("b", "hi back")
    a.initiate_chat(b, message="hello", max_turns=1, silent=True)
    kinds = [type(e) for e in sink.events]
    assert kinds == [ChatStarted, MessageSent, MessageSent, ChatFinished]
    assert sink.lines == ["a->b: hello", "b->a: hi back", "finished: max_turns"]
    started, finished = sink.events[0], sink.events[-1]
    assert isinstance(started, ChatStarted) and isinstance(finished, ChatFinished)
    assert started.chat_id == finished.chat_id == finished.result.chat_id
    assert started.sender is a and started.recipient is b


def test_a_group_chat_emits_each_speaker_choice_with_its_members(sink: Collector) -> None:
    a, b = member("a"), member("b")
    gc = GroupChat([a, b], max_round=3, speaker_selection_method="round_robin")
    a.initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="go", silent=True)
    selected = [e for e in sink.events if isinstance(e, SpeakerSelected)]
    assert [e.selection.speaker for e in selected] == ["b", "a"]
    assert all(e.members == ("a", "b") for e in selected)
    assert [e.selection for e in selected] == gc.selection_log


def test_no_speaker_event_is_built_when_nobody_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("SpeakerSelected built with no sink")

    monkeypatch.setattr("convogen.interception._sinks", [])  # durable runs leave their sink
    monkeypatch.setattr("convogen.groupchat.groupchat.SpeakerSelected", refuse)
    a, b = member("a"), member("b")
    gc = GroupChat([a, b], max_round=2, speaker_selection_method="round_robin")
    assert not has_sinks()
    a.initiate_chat(GroupChatManager(gc, llm_config=False, silent=True), message="go", silent=True)
    assert [s.speaker for s in gc.selection_log] == ["b"]


# ------------------------------------------------------------------ context-scoped sinks
def test_a_scoped_sink_sees_only_its_own_context() -> None:
    inside, outside = Collector(), Collector()
    add_sink(outside)
    try:

        async def chat(name: str, scoped: bool) -> None:
            a, b = member(f"{name}a"), member(f"{name}b")
            if scoped:
                with sinking(inside):
                    await a.a_initiate_chat(b, message="hi", max_turns=1, silent=True)
            else:
                await a.a_initiate_chat(b, message="hi", max_turns=1, silent=True)

        async def both() -> None:
            await asyncio.gather(chat("x", True), chat("y", False))

        asyncio.run(both())
    finally:
        remove_sink(outside)
    assert {e.sender.name for e in inside.events if isinstance(e, MessageSent)} == {"xa", "xb"}
    names = {e.sender.name for e in outside.events if isinstance(e, MessageSent)}
    assert names == {"xa", "xb", "ya", "yb"}
    assert not has_sinks()


def test_a_scoped_sink_ends_with_its_block() -> None:
    collector = Collector()
    with sinking(collector):
        assert has_sinks()
        emit(LlmCacheHit({}, {}))
    emit(LlmCacheHit({}, {}))
    assert collector.events == [LlmCacheHit({}, {})]
    assert not has_sinks()


def test_emit_refuses_what_is_not_an_event() -> None:
    with pytest.raises(TypeError, match="not an event"):
        emit({"event": "message"})  # type: ignore[arg-type]  # the point: a wrong type
    with pytest.raises(TypeError, match="not an event"):
        emit("message")  # type: ignore[arg-type]  # the old string spelling is gone
