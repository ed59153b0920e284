"""Conversation events: the typed facts sinks receive from :func:`convogen.interception.emit`.

Each event is a small frozen dataclass. A sink (any object with ``on_event(event)``, added
with :func:`convogen.interception.add_sink`) dispatches with ``match event:`` over these
classes and ignores the ones it does not handle, since later versions may add events::

    class Printer:
        def on_event(self, event: Event) -> None:
            match event:
                case MessageSent(sender=sender, recipient=recipient):
                    print(f"{sender.name} -> {recipient.name}")
                case ChatFinished(result=result):
                    print(result.stop_reason)
                case _:
                    pass

Events carry the live agent objects (typed here only by their name), so a sink may read more
from them; a sink must not change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeAlias

from convogen.messages import Message
from convogen.results import ChatResult


class Participant(Protocol):
    """What an event needs of an agent: its name."""

    @property
    def name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class SpeakerSelection:
    """One speaker choice: who, by which method, why, and among whom."""

    round: int
    speaker: str
    method: str
    reason: str
    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MessageSent:
    """``sender`` sent ``message`` to ``recipient`` (the sender's stored copy)."""

    kind: ClassVar[str] = "message"
    sender: Participant
    recipient: Participant
    message: Message


@dataclass(frozen=True, slots=True)
class ChatStarted:
    """A two-agent chat began; it runs in the task that emitted this event."""

    kind: ClassVar[str] = "chat_started"
    chat_id: int
    sender: Participant
    recipient: Participant


@dataclass(frozen=True, slots=True)
class ChatFinished:
    """A two-agent chat ended, normally or with an error (``result.error``)."""

    kind: ClassVar[str] = "chat_finished"
    chat_id: int
    sender: Participant
    recipient: Participant
    result: ChatResult


@dataclass(frozen=True, slots=True)
class SpeakerSelected:
    """A group chat chose its next speaker among ``members`` (the group's agent names)."""

    kind: ClassVar[str] = "speaker_selected"
    members: tuple[str, ...]
    selection: SpeakerSelection


@dataclass(frozen=True, slots=True)
class LlmCacheHit:
    """A model reply came from the cache (it did not pass through the ``llm`` effect).

    ``request`` is described as for the ``llm`` effect; ``response`` is the reply as JSON.
    """

    kind: ClassVar[str] = "llm_cache_hit"
    request: dict[str, Any]
    response: dict[str, Any]


Event: TypeAlias = MessageSent | ChatStarted | ChatFinished | SpeakerSelected | LlmCacheHit
EVENT_TYPES: tuple[type[Event], ...] = (
    MessageSent,
    ChatStarted,
    ChatFinished,
    SpeakerSelected,
    LlmCacheHit,
)
