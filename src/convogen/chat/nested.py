"""Nested chats: a reply function that runs a sequence of chats and replies with the summary."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convogen.agents.reply_types import ReplyFunc, ReplyResult
from convogen.chat.sequential import a_initiate_chats
from convogen.errors import ConfigError
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

NestedReplyFunc = Callable[..., Any]
DEFAULT = "summary_from_nested_chats"


def make_nested_chat_reply(
    chat_queue: list[dict[str, Any]],
    reply_from_nested: str | NestedReplyFunc,
    use_async: bool | None = None,
) -> ReplyFunc:
    """A reply function that runs ``chat_queue`` when triggered.

    The first chat's message defaults to the triggering message's content; a callable message
    is called as ``message(recipient, messages, sender, config)``; chats whose message is empty
    are skipped. The reply is the last chat's summary, or what
    ``reply_from_nested(chat_queue, recipient, messages, sender, config)`` returns.
    """
    _check(chat_queue, reply_from_nested, use_async)
    custom: NestedReplyFunc | None = (
        None if isinstance(reply_from_nested, str) else reply_from_nested
    )

    async def nested_chats_reply(
        recipient: ConversableAgent,
        messages: list[Message] | None,
        sender: ConversableAgent | None,
        config: Any,
    ) -> ReplyResult:
        if custom is None:
            return await summary_from_nested_chats(chat_queue, recipient, messages, sender, config)
        outcome = custom(chat_queue, recipient, messages, sender, config)
        result: ReplyResult = await outcome if inspect.isawaitable(outcome) else outcome
        return result

    if custom is not None:
        functools.update_wrapper(nested_chats_reply, custom)
    return nested_chats_reply


async def summary_from_nested_chats(
    chat_queue: list[dict[str, Any]],
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """Run the nested chats and reply with the last one's summary (None when none ran)."""
    chats = chats_to_run(chat_queue, recipient, messages, sender, config)
    if not chats:
        return True, None
    results = await a_initiate_chats(chats)
    return True, results[-1].summary


def chats_to_run(
    chat_queue: list[dict[str, Any]],
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> list[dict[str, Any]]:
    """The chats of ``chat_queue`` with their first messages resolved; empty ones left out."""
    last = messages[-1].get("content") if messages else None
    chats: list[dict[str, Any]] = []
    for i, chat in enumerate(chat_queue):
        chat = dict(chat)
        if chat.get("sender") is None:
            chat["sender"] = recipient
        message = chat.get("message")
        if message is None and i == 0:
            message = last
        if callable(message):
            message = message(recipient, messages, sender, config)
        if message:
            chat["message"] = message
            chats.append(chat)
    return chats


def _check(chat_queue: object, reply_from_nested: object, use_async: bool | None) -> None:
    if not isinstance(chat_queue, list) or not chat_queue:
        raise ConfigError("chat_queue", chat_queue, "must be a non-empty list of chats")
    if reply_from_nested != DEFAULT and not callable(reply_from_nested):
        raise ConfigError(
            "reply_func_from_nested_chats", reply_from_nested, f"use '{DEFAULT}' or a callable"
        )
    if use_async:
        for i, chat in enumerate(chat_queue):
            if not isinstance(chat, dict) or chat.get("chat_id") is None:
                raise ConfigError(
                    f"chat_queue[{i}]['chat_id']", None, "is required for async nested chats"
                )
