"""Nested chats: a reply function that runs a sequence of chats and replies with the summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convogen.agents.reply_types import ReplyFunc, ReplyResult
from convogen.chat.sequential import a_initiate_chats
from convogen.errors import ConfigError
from convogen.messages import Message, content_str
from convogen.results import ChatResult

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

NestedReplyFunc = Callable[..., ReplyResult]


def make_nested_chat_reply(
    chat_queue: list[dict[str, Any]], reply_from_nested: str | NestedReplyFunc
) -> ReplyFunc:
    """A reply function that runs ``chat_queue`` when triggered.

    The first chat's message defaults to the triggering message; a callable message is called
    as ``message(recipient, messages, sender, config)``. The reply is the last chat's summary,
    or whatever ``reply_from_nested(results, recipient, messages, sender, config)`` returns.
    """
    if not isinstance(chat_queue, list) or not chat_queue:
        raise ConfigError("chat_queue", chat_queue, "must be a non-empty list of chats")
    if reply_from_nested != "summary_from_nested_chats" and not callable(reply_from_nested):
        raise ConfigError(
            "reply_func_from_nested_chats",
            reply_from_nested,
            "use 'summary_from_nested_chats' or a callable",
        )

    async def nested_chats_reply(
        recipient: ConversableAgent,
        messages: list[Message] | None,
        sender: ConversableAgent | None,
        config: Any,
    ) -> ReplyResult:
        queue: list[dict[str, Any]] = config if config is not None else chat_queue
        last = content_str(messages[-1].get("content")) if messages else ""
        chats: list[dict[str, Any]] = []
        for i, chat in enumerate(queue):
            chat = {"sender": recipient, **chat}
            message = chat.get("message")
            if callable(message):
                chat["message"] = message(recipient, messages, sender, config)
            elif message is None and i == 0:
                chat["message"] = last
            chats.append(chat)
        results = await a_initiate_chats(chats)
        if callable(reply_from_nested):
            outcome: ReplyResult = reply_from_nested(results, recipient, messages, sender, config)
            return outcome
        return _last_summary(results)

    return nested_chats_reply


def _last_summary(results: list[ChatResult]) -> ReplyResult:
    if not results:
        return False, None
    return True, results[-1].summary
