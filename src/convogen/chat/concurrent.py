"""Chats with prerequisites: each runs once the chats it depends on have finished (0.2 async)."""

from __future__ import annotations

import asyncio
from typing import Any

from convogen.chat.sequential import announce, chat_arguments, check_queue
from convogen.errors import ConfigError
from convogen.results import ChatResult


async def a_initiate_chats_by_id(chat_queue: list[dict[str, Any]]) -> dict[int, ChatResult]:
    """Run chats concurrently as their ``prerequisites`` (chat ids) allow: ``{chat_id: result}``.

    Every chat needs an int ``chat_id``; summaries of its prerequisites (minus
    ``finished_chat_indexes_to_exclude_from_carryover``) become its carryover.
    """
    check_queue(chat_queue)
    by_id = {_chat_id(i, chat): chat for i, chat in enumerate(chat_queue)}
    order = _order(by_id)
    tasks: dict[int, asyncio.Task[ChatResult]] = {}
    for chat_id in order:
        prerequisites = {p: tasks[p] for p in by_id[chat_id].get("prerequisites", [])}
        tasks[chat_id] = asyncio.ensure_future(_run(chat_id, by_id[chat_id], prerequisites))
    await asyncio.gather(*tasks.values())
    return {chat_id: task.result() for chat_id, task in tasks.items()}


async def _run(
    chat_id: int, chat: dict[str, Any], prerequisites: dict[int, asyncio.Task[ChatResult]]
) -> ChatResult:
    finished = {p: await task for p, task in prerequisites.items()}
    excluded = set(chat.get("finished_chat_indexes_to_exclude_from_carryover", []))
    summaries = [r.summary for p, r in finished.items() if p not in excluded]
    arguments = chat_arguments(chat, summaries)
    if not chat.get("silent", False):
        announce(chat["sender"], chat, arguments["carryover"])
    result = await chat["sender"].a_initiate_chat(chat["recipient"], **arguments)
    result.chat_id = chat_id
    return result  # type: ignore[no-any-return]


def _chat_id(index: int, chat: dict[str, Any]) -> int:
    chat_id = chat.get("chat_id")
    if isinstance(chat_id, bool) or not isinstance(chat_id, int):
        raise ConfigError(
            f"chat_queue[{index}]['chat_id']",
            chat_id,
            "each chat needs a unique int id for async multi-chat execution",
        )
    for pre in chat.get("prerequisites", []):
        if isinstance(pre, bool) or not isinstance(pre, int):
            raise ConfigError(f"chat_queue[{index}]['prerequisites']", pre, "must be chat ids")
    return chat_id


def _order(by_id: dict[int, dict[str, Any]]) -> list[int]:
    """Chat ids so that every chat comes after its prerequisites; a cycle is an error."""
    order: list[int] = []
    placed: set[int] = set()
    pending = list(by_id)
    while pending:
        ready = [c for c in pending if set(by_id[c].get("prerequisites", [])) <= placed]
        if not ready:
            raise ConfigError("chat_queue", pending, "prerequisites form a cycle or name no chat")
        order.extend(ready)
        placed.update(ready)
        pending = [c for c in pending if c not in placed]
    return order
