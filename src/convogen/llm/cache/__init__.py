"""Response caching for the wrapper: ``Cache.disk()``, ``Cache.redis()``, ``Cache.in_memory()``."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from convogen.llm.cache.backends import (
    CacheBackend,
    InMemoryBackend,
    RedisBackend,
    SQLiteBackend,
)
from convogen.llm.cache.keys import cache_key, response_from_json, response_to_json


def disk_cache_path(cache_path_root: str | Path, cache_seed: int | str) -> Path:
    """Where the disk cache of ``cache_seed`` lives: ``<root>/<seed>/cache.sqlite3``."""
    return Path(cache_path_root) / str(cache_seed) / "cache.sqlite3"


class Cache:
    """A cache of model responses keyed by model, messages, params and ``cache_seed``."""

    def __init__(self, backend: CacheBackend, cache_seed: int | str = 41) -> None:
        self.backend = backend
        self.cache_seed = cache_seed

    @classmethod
    def disk(cls, cache_seed: int | str = 41, cache_path_root: str | Path = ".cache") -> Cache:
        """A SQLite cache in ``<cache_path_root>/<cache_seed>/cache.sqlite3``."""
        return cls(SQLiteBackend(disk_cache_path(cache_path_root, cache_seed)), cache_seed)

    @classmethod
    def redis(
        cls,
        cache_seed: int | str = 41,
        redis_url: str = "redis://localhost:6379/0",
        *,
        client: Any = None,
    ) -> Cache:
        """A Redis cache; pass ``client`` to reuse a connection (or a fakeredis one in tests)."""
        return cls(RedisBackend(cache_seed, redis_url, client), cache_seed)

    @classmethod
    def in_memory(cls, cache_seed: int | str = 41) -> Cache:
        """A process-local cache, gone when the object is."""
        return cls(InMemoryBackend(), cache_seed)

    def get(self, key: str, default: Any = None) -> Any:
        """The cached value of ``key``, or ``default``."""
        return self.backend.get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Cache ``value`` (JSON-serialisable) under ``key``."""
        self.backend.set(key, value)

    def close(self) -> None:
        """Release the backend."""
        self.backend.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = [
    "Cache",
    "CacheBackend",
    "InMemoryBackend",
    "RedisBackend",
    "SQLiteBackend",
    "cache_key",
    "disk_cache_path",
    "response_from_json",
    "response_to_json",
]
