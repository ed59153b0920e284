"""Types of the reply pipeline: reply functions, their registrations, and a reply's outcome."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from convogen.messages import Message
from convogen.results import StopInfo

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

Reply: TypeAlias = str | dict[str, Any] | None
ReplyResult: TypeAlias = tuple[bool, Reply]
# reply_func(recipient, messages, sender, config) -> (final, reply); may be async.
ReplyFunc: TypeAlias = Callable[
    ["ConversableAgent", list[Message] | None, "ConversableAgent | None", Any],
    ReplyResult | Awaitable[ReplyResult],
]


@dataclass
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
