"""Retry timing: exponential backoff that honours ``Retry-After``, with an injectable sleeper."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from convogen.errors import ConfigError
from convogen.llm.errors import RateLimitError

Sleeper = Callable[[float], Awaitable[None]]


async def _asyncio_sleep(seconds: float) -> None:
    """``asyncio.sleep``; asyncio is imported on first use, not with ``import convogen``."""
    import asyncio

    await asyncio.sleep(seconds)


@dataclass
class RetryPolicy:
    """How often and how long to wait before retrying transient model errors.

    ``max_retries`` is the number of extra attempts per config entry after its first failure;
    ``max_delay`` caps every wait, including a server's ``Retry-After`` (a server asking for an
    hour should not hang an agent for an hour). ``sleeper`` is injectable so tests never sleep.
    """

    max_retries: int = 2
    initial_delay: float = 1.0
    multiplier: float = 2.0
    max_delay: float = 30.0
    jitter: float = 0.1
    sleeper: Sleeper = field(default=_asyncio_sleep, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise ConfigError("max_retries", self.max_retries, "must be an int >= 0")
        for name in ("initial_delay", "multiplier", "max_delay", "jitter"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(name, value, "must be a number >= 0")

    def backoff(self, attempt: int) -> float:
        """The wait before retry number ``attempt`` (1-based), without Retry-After."""
        delay = self.initial_delay * self.multiplier ** max(0, attempt - 1)
        if self.jitter:
            # Jitter spreads retries of many agents hitting the same rate limit at once.
            delay *= 1 + random.uniform(0, self.jitter)
        return min(delay, self.max_delay)

    def delay_for(self, attempt: int, errors: Sequence[BaseException]) -> float:
        """Wait before ``attempt``: the backoff, or longer when a server sent Retry-After."""
        delay = self.backoff(attempt)
        hints = [e.retry_after for e in errors if isinstance(e, RateLimitError) and e.retry_after]
        if hints:
            delay = max(delay, max(hints))
        return min(delay, self.max_delay)

    async def sleep(self, seconds: float) -> None:
        """Wait through the injected sleeper."""
        if seconds > 0:
            await self.sleeper(seconds)
