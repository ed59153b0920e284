"""Classic ``autogen.cache.cosmos_db_cache``: the names exist; Cosmos DB caches are refused.

convogen keeps responses in SQLite or Redis only (see "Differences from AutoGen 0.2"), so a
program that imports these names still loads and gets a clear error when it builds one.
"""

from __future__ import annotations

from typing import Any, TypedDict

from convogen.errors import ConfigError

__all__ = ["CosmosDBCache", "CosmosDBConfig"]

_REFUSAL = "Cosmos DB caches are not supported; use Cache.disk() or Cache.redis()"


class CosmosDBConfig(TypedDict, total=False):
    """The classic Cosmos DB cache settings (accepted as a type; such a cache is refused)."""

    connection_string: str
    database_id: str
    container_id: str
    cache_seed: str | int | None
    client: Any


class CosmosDBCache:
    """Refused: building one raises ``ConfigError`` naming the supported caches."""

    def __init__(self, seed: str | int, cosmosdb_config: CosmosDBConfig) -> None:
        raise ConfigError("cosmosdb_config", cosmosdb_config.get("container_id"), _REFUSAL)

    @classmethod
    def from_config(cls, seed: str | int, cosmosdb_config: CosmosDBConfig) -> CosmosDBCache:
        """Refused (raises ``ConfigError``)."""
        return cls(seed, cosmosdb_config)

    @classmethod
    def from_connection_string(
        cls, seed: str | int, connection_string: str, database_id: str, container_id: str
    ) -> CosmosDBCache:
        """Refused (raises ``ConfigError``)."""
        return cls(seed, {"database_id": database_id, "container_id": container_id})

    @classmethod
    def from_existing_client(
        cls, seed: str | int, client: Any, database_id: str, container_id: str
    ) -> CosmosDBCache:
        """Refused (raises ``ConfigError``)."""
        return cls(seed, {"database_id": database_id, "container_id": container_id})
