"""Classic ``autogen.cache``: response caches for ``cache=`` (disk by default, Redis, memory)."""

from __future__ import annotations

import importlib
from types import ModuleType

from convogen.cache.abstract_cache_base import AbstractCache
from convogen.cache.cache import Cache

_SUBMODULES = frozenset(
    {"abstract_cache_base", "cache", "cache_factory", "disk_cache", "in_memory_cache"}
    | {"redis_cache", "cosmos_db_cache"}
)


def __getattr__(name: str) -> ModuleType:
    if name in _SUBMODULES:
        return importlib.import_module(f"convogen.cache.{name}")
    raise AttributeError(f"module 'convogen.cache' has no attribute {name!r}")


__all__ = ["AbstractCache", "Cache"]
