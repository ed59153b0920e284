"""Run the async implementation from synchronous code (the sync twins are thin wrappers).

``asyncio`` and the thread pool load on the first call, not on ``import convogen``: importing
asyncio costs more than the rest of the agent layer together.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

T = TypeVar("T")

_local = threading.local()
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _thread_loop() -> asyncio.AbstractEventLoop:
    import asyncio

    loop: asyncio.AbstractEventLoop | None = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _local.loop = loop
    return loop


def _run_on_own_loop(coro: Coroutine[Any, Any, T]) -> T:
    return _thread_loop().run_until_complete(coro)


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion and return its result.

    Uses a reusable event loop of the calling thread; when that thread already runs an event
    loop (a notebook, an async app calling a sync API), the coroutine runs on a helper thread
    so the caller's loop is never re-entered.
    """
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_on_own_loop(coro)
    global _pool
    with _pool_lock:
        if _pool is None:
            from concurrent.futures import ThreadPoolExecutor

            _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="convogen-sync")
    # Carry the caller's context (active recorders, interceptors) into the helper thread.
    context = contextvars.copy_context()
    return _pool.submit(context.run, _run_on_own_loop, coro).result()


def in_blocking_call() -> bool:
    """True when the running event loop is the one ``run_sync`` drives for a waiting caller.

    Such a loop serves one synchronous call (``initiate_chat``, ``create``) and nothing else,
    so blocking work may run on it directly, as AutoGen 0.2 ran it.
    """
    loop = getattr(_local, "loop", None)
    if loop is None:
        return False
    import asyncio

    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
