"""The classic ``Cache(config)`` over convogen's cache (``Cache.disk()``, ``Cache.redis()``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from convogen.cache.cache_factory import CacheFactory
from convogen.errors import ConfigError
from convogen.llm.cache import Cache as _StoreCache
from convogen.llm.cache.backends import CacheBackend, InMemoryBackend, RedisBackend


class Cache(_StoreCache):
    """A response cache built from a config dict; use with ``with`` and pass as ``cache=``."""

    ALLOWED_CONFIG_KEYS: ClassVar[list[str]] = [
        "cache_seed",
        "redis_url",
        "cache_path_root",
        "cosmos_db_config",
    ]

    def __init__(self, config: dict[str, Any], backend: CacheBackend | None = None) -> None:
        if not isinstance(config, dict):
            raise ConfigError("config", config, "must be a dict of cache settings")
        unknown = sorted(set(config) - set(self.ALLOWED_CONFIG_KEYS))
        if unknown:
            raise ConfigError(
                "config", unknown, f"unknown keys; allowed: {self.ALLOWED_CONFIG_KEYS}"
            )
        self.config = config
        seed = config.get("cache_seed", 42)
        config["cache_seed"] = str(seed)
        if backend is None:
            backend = CacheFactory.cache_factory(
                seed=seed,
                redis_url=config.get("redis_url"),
                cache_path_root=config.get("cache_path_root"),
                cosmosdb_config=config.get("cosmos_db_config"),
            )
        super().__init__(backend, seed)

    @property
    def cache(self) -> CacheBackend:
        """The store behind this cache (0.2's attribute name)."""
        return self.backend

    @classmethod
    def disk(cls, cache_seed: int | str = 42, cache_path_root: str | Path = ".cache") -> Cache:
        """A SQLite cache in ``<cache_path_root>/<cache_seed>/``."""
        return cls({"cache_seed": cache_seed, "cache_path_root": cache_path_root})

    @classmethod
    def redis(
        cls,
        cache_seed: int | str = 42,
        redis_url: str = "redis://localhost:6379/0",
        *,
        client: Any = None,
    ) -> Cache:
        """A Redis cache; ``client`` reuses a connection (a fakeredis one in tests)."""
        config = {"cache_seed": cache_seed, "redis_url": redis_url}
        if client is None:
            return cls(config)
        return cls(config, RedisBackend(cache_seed, redis_url, client))

    @classmethod
    def in_memory(cls, cache_seed: int | str = 42) -> Cache:
        """A process-local cache (convogen addition; 0.2 offers it as ``InMemoryCache``)."""
        return cls({"cache_seed": cache_seed}, InMemoryBackend())

    @staticmethod
    def cosmos_db(
        connection_string: str | None = None,
        container_id: str | None = None,
        cache_seed: str | int = 42,
        client: Any | None = None,
    ) -> Cache:
        """Not supported: raises ``ConfigError`` (use ``Cache.disk`` or ``Cache.redis``)."""
        raise ConfigError(
            "cosmos_db", container_id, "Cosmos DB caches are not supported; use disk or redis"
        )


__all__ = ["Cache"]
