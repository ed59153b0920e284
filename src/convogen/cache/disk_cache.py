"""``DiskCache``: the classic name of the SQLite cache backend (JSON values, never pickle)."""

from __future__ import annotations

from pathlib import Path

from convogen.cache.abstract_cache_base import ClosingContext
from convogen.llm.cache.backends import SQLiteBackend


class DiskCache(SQLiteBackend, ClosingContext):
    """A cache in the directory ``seed`` (a path, as 0.2's ``DiskCache(seed)`` takes)."""

    def __init__(self, seed: str | int) -> None:
        super().__init__(Path(str(seed)) / "cache.sqlite3")


__all__ = ["DiskCache"]
