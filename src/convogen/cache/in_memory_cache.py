"""``InMemoryCache``: the classic in-process cache, a dict keyed ``<seed>_<key>`` as in 0.2."""

from __future__ import annotations

import copy
from typing import Any

from convogen.cache.abstract_cache_base import ClosingContext


class InMemoryCache(ClosingContext):
    """A process-local cache; a non-empty ``seed`` prefixes its keys (``<seed>_<key>``).

    Values are copied in and out, so a caller changing a returned value never changes the cache.
    """

    def __init__(self, seed: str | int = "") -> None:
        self.seed = seed
        self._cache: dict[str, Any] = {}

    def _prefixed_key(self, key: str) -> str:
        return f"{self.seed}_{key}" if self.seed else key

    def get(self, key: str, default: Any | None = None) -> Any | None:
        """The value stored under ``key``, or ``default``."""
        prefixed = self._prefixed_key(key)
        return copy.deepcopy(self._cache[prefixed]) if prefixed in self._cache else default

    def set(self, key: str, value: Any) -> None:
        """Store (a copy of) ``value`` under ``key``."""
        self._cache[self._prefixed_key(key)] = copy.deepcopy(value)

    def close(self) -> None:
        """Nothing to release."""


__all__ = ["InMemoryCache"]
