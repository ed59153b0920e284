"""Types of the reply pipeline: reply functions, their registrations, and a reply's outcome.

A built-in reply function returns a typed step: ``Replied(reply)`` (the reply is final),
``Stopped(reason, detail)`` (the conversation ends, and why) or ``PASS`` (let the next reply
function try). User reply functions may still return AutoGen 0.2's ``(final, reply)`` tuple;
``as_step`` reads either, and ``as_pair`` turns a step back into a tuple for the classic API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from convogen.messages import Message
from convogen.results import StopInfo, StopReason

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

Reply: TypeAlias = str | dict[str, Any] | None
ReplyResult: TypeAlias = tuple[bool, Reply]


@dataclass(frozen=True)
class Replied:
    """The reply function answered: ``reply`` is the agent's reply."""

    reply: str | dict[str, Any]


@dataclass(frozen=True)
class Stopped:
    """The reply function ends the conversation; ``agent`` defaults to the replying agent."""

    reason: StopReason
    detail: str = ""
    agent: str | None = None


@dataclass(frozen=True)
class Pass:
    """The reply function has nothing to say; the next one is tried (use ``PASS``)."""


PASS = Pass()
ReplyStep: TypeAlias = Replied | Stopped | Pass
# A tuple, not the union: ``isinstance`` checks a tuple several times faster (hot path).
_STEP_TYPES = (Replied, Stopped, Pass)
# reply_func(recipient, messages, sender, config) -> a step or (final, reply); may be async.
ReplyFunc: TypeAlias = Callable[
    ["ConversableAgent", list[Message] | None, "ConversableAgent | None", Any],
    ReplyStep | ReplyResult | Awaitable[ReplyStep | ReplyResult],
]


def as_step(result: object, source: object) -> ReplyStep:
    """The typed step of what a reply function returned (a step or a ``(final, reply)`` pair).

    ``source`` is the reply function (or its name); a classic ``(True, None)`` becomes
    ``Stopped(NO_REPLY)`` naming it.
    """
    if isinstance(result, _STEP_TYPES):
        return result
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise TypeError(
            f"reply function {source_name(source)} returned {result!r}; expected Replied, "
            "Stopped, PASS or a (final, reply) tuple"
        )
    final, reply = result
    if not final:
        return PASS
    if reply is None:
        return Stopped(StopReason.NO_REPLY, f"{source_name(source)} gave no reply")
    return Replied(reply)


def source_name(source: object) -> str:
    """The name of a reply function for messages; a str is already one."""
    if isinstance(source, str):
        return source
    return str(getattr(source, "__name__", type(source).__name__))


def as_pair(step: ReplyStep) -> ReplyResult:
    """The classic ``(final, reply)`` tuple of ``step`` (AutoGen 0.2's reply methods)."""
    if isinstance(step, Replied):
        return True, step.reply
    if isinstance(step, Stopped):
        return True, None
    return False, None


@dataclass(slots=True)
class ReplyFuncEntry:
    """One registered reply function with its trigger and config.

    ``call`` is what runs: the function itself, or for a built-in classic reply method its
    async implementation. ``shadowed`` marks a sync built-in whose async twin is also
    registered: an async chat runs only the twin, a sync chat only this one.
    """

    trigger: Any
    func: ReplyFunc
    config: Any = None
    init_config: Any = None
    reset_config: Callable[[Any], None] | None = None
    is_async: bool = False
    ignore_async_in_sync_chat: bool = False
    call: ReplyFunc | None = None
    shadowed: bool = False


@dataclass(frozen=True)
class ReplyOutcome:
    """A generated reply, or None with the reason the conversation stops."""

    reply: Reply
    stop: StopInfo | None = None
