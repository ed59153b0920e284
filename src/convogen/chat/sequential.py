"""``initiate_chats``: chats run one after another, each carrying earlier summaries over."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from convogen._sync import run_sync
from convogen.errors import ConfigError
from convogen.results import ChatResult

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

_QUEUE_ONLY_KEYS = ("sender", "recipient", "finished_chat_indexes_to_exclude_from_carryover")


async def a_initiate_chats(chat_queue: list[dict[str, Any]]) -> list[ChatResult]:
    """Run each chat of ``chat_queue`` in order; summaries of finished chats become carryover.

    Each entry holds ``sender``, ``recipient`` and ``initiate_chat`` arguments (``message``,
    ``max_turns``, ``summary_method``, ``carryover``, ...), and may list
    ``finished_chat_indexes_to_exclude_from_carryover``.
    """
    _check_queue(chat_queue)
    finished: list[ChatResult] = []
    for chat in chat_queue:
        sender: ConversableAgent = chat["sender"]
        recipient: ConversableAgent = chat["recipient"]
        excluded = set(chat.get("finished_chat_indexes_to_exclude_from_carryover", []))
        carryover = chat.get("carryover", [])
        carryover = [carryover] if isinstance(carryover, str) else list(carryover)
        carryover += [r.summary for i, r in enumerate(finished) if i not in excluded and r.summary]
        arguments = {k: v for k, v in chat.items() if k not in _QUEUE_ONLY_KEYS}
        arguments["carryover"] = carryover
        finished.append(await sender.a_initiate_chat(recipient, **arguments))
    return finished


def initiate_chats(chat_queue: list[dict[str, Any]]) -> list[ChatResult]:
    """Synchronous twin of ``a_initiate_chats``."""
    return run_sync(a_initiate_chats(chat_queue))


def _check_queue(chat_queue: object) -> None:
    from convogen.agents.conversable import ConversableAgent

    if not isinstance(chat_queue, list):
        raise ConfigError("chat_queue", chat_queue, "must be a list of dicts")
    for i, chat in enumerate(chat_queue):
        if not isinstance(chat, dict):
            raise ConfigError(f"chat_queue[{i}]", chat, "must be a dict")
        for key in ("sender", "recipient"):
            if not isinstance(chat.get(key), ConversableAgent):
                raise ConfigError(f"chat_queue[{i}]['{key}']", chat.get(key), "must be an agent")
