"""``CacheFactory.cache_factory``: the store a classic cache config asks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from convogen.errors import ConfigError
from convogen.llm.cache import disk_cache_path
from convogen.llm.cache.backends import CacheBackend, RedisBackend, SQLiteBackend


class CacheFactory:
    """Builds cache stores from the classic configuration keys."""

    @staticmethod
    def cache_factory(
        seed: str | int,
        redis_url: str | None = None,
        cache_path_root: str | Path | None = ".cache",
        cosmosdb_config: dict[str, Any] | None = None,
    ) -> CacheBackend:
        """A Redis store when ``redis_url`` is given, else SQLite under ``cache_path_root/seed``.

        ``cache_path_root=None`` means ``.cache``.
        """
        if cosmosdb_config is not None:
            raise ConfigError(
                "cosmosdb_config", "...", "Cosmos DB caches are not supported; use disk or redis"
            )
        if redis_url is not None:
            return RedisBackend(seed, redis_url)
        return SQLiteBackend(disk_cache_path(cache_path_root or ".cache", seed))


__all__ = ["CacheFactory"]
