"""``initiate_chats``: chats run one after another, each carrying earlier summaries over."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from convogen.agents.sync_mode import run_sync_chat
from convogen.chat.queue import consolidate_chat_info
from convogen.errors import ConfigError
from convogen.results import ChatResult

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

_QUEUE_ONLY_KEYS = (
    "sender",
    "recipient",
    "finished_chat_indexes_to_exclude_from_carryover",
    "chat_id",
    "prerequisites",
    "verbose",
)
_BANNER = "*" * 80


async def a_initiate_chats(chat_queue: list[dict[str, Any]]) -> list[ChatResult]:
    """Run each chat of ``chat_queue`` in order; summaries of finished chats become carryover.

    Each entry holds ``sender``, ``recipient`` and ``initiate_chat`` arguments (``message``,
    ``max_turns``, ``summary_method``, ``carryover``, ...), and may list
    ``finished_chat_indexes_to_exclude_from_carryover``.
    """
    check_queue(chat_queue)
    finished: list[ChatResult] = []
    for chat in chat_queue:
        sender: ConversableAgent = chat["sender"]
        excluded = set(chat.get("finished_chat_indexes_to_exclude_from_carryover", []))
        summaries = [r.summary for i, r in enumerate(finished) if i not in excluded]
        arguments = chat_arguments(chat, summaries)
        if not chat.get("silent", False):
            announce(sender, chat, arguments["carryover"])
        finished.append(await sender.a_initiate_chat(chat["recipient"], **arguments))
    return finished


def chat_arguments(chat: dict[str, Any], summaries: list[str]) -> dict[str, Any]:
    """``initiate_chat`` arguments of a queue entry, its carryover extended by ``summaries``."""
    carryover = chat.get("carryover", [])
    carryover = [carryover] if isinstance(carryover, str) else list(carryover)
    arguments = {k: v for k, v in chat.items() if k not in _QUEUE_ONLY_KEYS}
    arguments["carryover"] = carryover + summaries
    return arguments


def initiate_chats(chat_queue: list[dict[str, Any]]) -> list[ChatResult]:
    """Synchronous twin of ``a_initiate_chats``."""
    return run_sync_chat(a_initiate_chats(chat_queue))


def announce(sender: ConversableAgent, chat: dict[str, Any], carryover: list[Any]) -> None:
    """Print the banner AutoGen 0.2 shows before each chat (message and carryover if verbose)."""
    from convogen.agents.chat_entry import carryover_text

    io = sender.io
    io.print(f"\n{_BANNER}")
    io.print("Starting a new chat....")
    if chat.get("verbose", False):
        message = chat.get("message")
        shown = (
            f"Callable: {getattr(message, '__name__', message)}" if callable(message) else message
        )
        io.print(f"Message:\n{shown}")
        io.print("Carryover:\n" + "\n".join(carryover_text(item) for item in carryover))
    io.print(f"\n{_BANNER}")


def check_queue(chat_queue: object) -> None:
    """Raise ``ConfigError`` for a queue that is not a list of chats between agents."""
    from convogen.agents.base import Agent

    if not isinstance(chat_queue, list):
        raise ConfigError("chat_queue", chat_queue, "must be a list of dicts")
    recipients: list[Any] = []
    for i, chat in enumerate(chat_queue):
        if not isinstance(chat, dict):
            raise ConfigError(f"chat_queue[{i}]", chat, "must be a dict")
        for key in ("sender", "recipient"):
            if not isinstance(chat.get(key), Agent):
                raise ConfigError(f"chat_queue[{i}]['{key}']", chat.get(key), "must be an agent")
        recipients.append(chat["recipient"])
    consolidate_chat_info(chat_queue)
    if len({id(r) for r in recipients}) < len(recipients):
        warnings.warn(
            "The same recipient appears more than once in the chat queue; its history is "
            "cleared before each chat unless that chat sets clear_history=False.",
            UserWarning,
            stacklevel=3,
        )
