"""``RedisCache``: the classic name of the Redis cache backend (keys prefixed by the seed)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from convogen.cache.abstract_cache_base import ClosingContext
from convogen.errors import ConfigError
from convogen.llm.cache.backends import RedisBackend

redis: ModuleType | None
try:  # an optional extra; this classic module is only imported when used
    import redis
except ImportError:  # pragma: no cover - depends on installed extras
    redis = None


class RedisCache(RedisBackend, ClosingContext):
    """A cache in Redis at ``redis_url``; entries of other seeds stay invisible."""

    def __init__(self, seed: str | int, redis_url: str) -> None:
        if redis is None:
            raise ConfigError("redis_url", redis_url, "install 'redis' (convogen[redis]) to use it")
        client: Any = redis.Redis.from_url(redis_url)
        super().__init__(seed, redis_url, client)
        self.seed = seed
        self.cache = client  # the Redis connection (0.2's attribute name)


__all__ = ["RedisCache"]
