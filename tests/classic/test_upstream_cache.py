"""Classic cache classes behave as AutoGen 0.2's upstream tests expect."""

from __future__ import annotations

from unittest.mock import MagicMock, patch

import pytest

from convogen.cache.cache import Cache
from convogen.cache.cosmos_db_cache import CosmosDBCache, CosmosDBConfig
from convogen.cache.in_memory_cache import InMemoryCache
from convogen.cache.redis_cache import RedisCache
from convogen.errors import ConfigError


def test_cache_builds_its_store_with_the_factorys_keyword_arguments() -> None:
    store = MagicMock()
    with patch("convogen.cache.cache_factory.CacheFactory.cache_factory", return_value=store) as f:
        cache = Cache({"redis_url": "redis://x"})
    f.assert_called_once_with(
        seed=42, redis_url="redis://x", cache_path_root=None, cosmosdb_config=None
    )
    assert cache.cache is store


def test_cache_get_asks_its_store_with_a_none_default() -> None:
    store = MagicMock()
    with patch("convogen.cache.cache_factory.CacheFactory.cache_factory", return_value=store):
        Cache({"cache_seed": 1}).get("k")
    store.get.assert_called_with("k", None)


def test_a_cosmos_db_cache_is_refused_with_a_clear_error() -> None:
    config: CosmosDBConfig = {"container_id": "c", "database_id": "d"}
    with pytest.raises(ConfigError, match="Cosmos DB caches are not supported"):
        CosmosDBCache(42, config)


def test_in_memory_cache_prefixes_keys_with_its_seed() -> None:
    cache = InMemoryCache(seed="s")
    cache.set("k", "v")
    assert (cache._prefixed_key("k"), cache._cache) == ("s_k", {"s_k": "v"})


def test_in_memory_cache_hands_out_copies() -> None:
    cache = InMemoryCache()
    cache.set("k", {"a": [1]})
    handed_out = cache.get("k")
    assert handed_out is not None
    handed_out["a"].append(2)
    assert cache.get("k") == {"a": [1]}


def test_redis_cache_connects_to_the_url_and_keeps_the_connection_as_cache() -> None:
    with patch("convogen.cache.redis_cache.redis.Redis.from_url") as from_url:
        cache = RedisCache("seed", "redis://localhost:6379/0")
    from_url.assert_called_once_with("redis://localhost:6379/0")
    assert (cache.seed, cache.cache) == ("seed", from_url.return_value)
