"""Whether the running chat was started from a synchronous API (as in AutoGen 0.2).

A sync chat skips async reply functions registered with ``ignore_async_in_sync_chat=True``
(the ``a_`` twins of the built-in replies), so replacing the sync twin of a built-in reply
changes what a sync chat does, and replacing the async twin what an async chat does.
"""

from __future__ import annotations

from collections.abc import Coroutine
from contextvars import ContextVar
from typing import Any, TypeVar

from convogen._sync import run_sync

T = TypeVar("T")

_SYNC_CHAT: ContextVar[bool] = ContextVar("convogen_sync_chat", default=False)


def in_sync_chat() -> bool:
    """True inside a chat started by a synchronous method (``initiate_chat``, ``send``...)."""
    return _SYNC_CHAT.get()


def run_sync_chat(coro: Coroutine[Any, Any, T]) -> T:
    """``run_sync`` for the sync twins of chat methods: marks the run as a sync chat."""
    token = _SYNC_CHAT.set(True)
    try:
        return run_sync(coro)
    finally:
        _SYNC_CHAT.reset(token)
