"""``InMemoryCache``: the classic name of the in-process cache backend."""

from __future__ import annotations

from convogen.cache.abstract_cache_base import ClosingContext
from convogen.llm.cache.backends import InMemoryBackend


class InMemoryCache(InMemoryBackend, ClosingContext):
    """A process-local cache; ``seed`` only names it (each instance holds its own entries)."""

    def __init__(self, seed: str | int = "") -> None:
        super().__init__()
        self.seed = seed


__all__ = ["InMemoryCache"]
