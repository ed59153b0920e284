"""Validation of chat-queue entries before any chat of the queue starts."""

from __future__ import annotations

from typing import Any

from convogen.chat.summary import check_summary_method
from convogen.errors import ConfigError


def consolidate_chat_info(
    chat_info: dict[str, Any] | list[dict[str, Any]], uniform_sender: Any = None
) -> None:
    """Check each chat names its sender (unless ``uniform_sender``), recipient, summary method.

    A chat summarised by ``reflection_with_llm`` needs a model on one of its two agents.
    """
    chats = [chat_info] if isinstance(chat_info, dict) else chat_info
    for i, chat in enumerate(chats):
        sender = uniform_sender if uniform_sender is not None else chat.get("sender")
        if sender is None:
            raise ConfigError(f"chat_queue[{i}]['sender']", None, "sender must be provided")
        if chat.get("recipient") is None:
            raise ConfigError(f"chat_queue[{i}]['recipient']", None, "recipient must be provided")
        method = chat.get("summary_method")
        check_summary_method(method)
        if method == "reflection_with_llm" and not (
            _has_llm(sender) or _has_llm(chat["recipient"])
        ):
            raise ConfigError(
                f"chat_queue[{i}]['summary_method']",
                method,
                "needs an llm_config on the sender or the recipient",
            )


def _has_llm(agent: Any) -> bool:
    return getattr(agent, "llm_config", False) is not False  # a classic Agent may have none
