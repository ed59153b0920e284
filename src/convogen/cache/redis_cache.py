"""``RedisCache``: the classic name of the Redis cache backend (keys prefixed by the seed)."""

from __future__ import annotations

from convogen.cache.abstract_cache_base import ClosingContext
from convogen.llm.cache.backends import RedisBackend


class RedisCache(RedisBackend, ClosingContext):
    """A cache in Redis at ``redis_url``; entries of other seeds stay invisible."""

    def __init__(self, seed: str | int, redis_url: str) -> None:
        super().__init__(seed, redis_url)
        self.seed = seed


__all__ = ["RedisCache"]
