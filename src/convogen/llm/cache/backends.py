"""Cache backends: SQLite on disk, Redis, and a dict in memory. Values are JSON, never pickle.

JSON only, because a cache directory or a shared Redis is data another process may have written:
unpickling it would run arbitrary code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from convogen.errors import ConfigError
from convogen.version import __version__

if TYPE_CHECKING:
    import sqlite3

logger = logging.getLogger(__name__)
# Marks an entry written with a checksum (a key no cached response has).
_ENTRY = "convogen_cache_entry"


@runtime_checkable
class CacheBackend(Protocol):
    """Stores JSON-serialisable values by string key."""

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``, or ``default``."""
        ...

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...


# Built once: ``json.dumps`` with keyword options builds a new encoder on every call.
_BODY_ENCODER = json.JSONEncoder(sort_keys=True, allow_nan=False)
_DECODER = json.JSONDecoder()


def _body(value: Any) -> str:
    """The canonical JSON of ``value``; a value JSON cannot hold is an error, not a pickle."""
    try:
        return _BODY_ENCODER.encode(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"cache values must be JSON-serialisable: {exc}") from exc


def _loads(text: str | bytes) -> Any:
    """``json.loads(text)``, without its whitespace scans for the str entries we write."""
    if isinstance(text, str):
        try:
            value, end = _DECODER.raw_decode(text)
        except ValueError:
            pass  # leading whitespace or not JSON: json.loads accepts it or raises properly
        else:
            if end == len(text):
                return value
    return json.loads(text)


def encode(value: Any) -> str:
    """An entry: the JSON of ``value`` with its SHA-256 and the convogen version that wrote it.

    A value JSON cannot hold is an error, not a silent pickle.
    """
    body = _body(value)
    digest = hashlib.sha256(body.encode()).hexdigest()
    return json.dumps({_ENTRY: 1, "version": __version__, "sha256": digest, "value": body})


_MISS = object()


def decode(text: str | bytes, key: str) -> Any:
    """The value of an entry, or ``_MISS`` (logged) when it is corrupt or fails its checksum."""
    try:
        data = _loads(text)
    except (TypeError, ValueError, UnicodeDecodeError):
        logger.warning("cache entry %s is not JSON; treating it as a miss", key[:16])
        return _MISS
    if not isinstance(data, dict) or _ENTRY not in data:
        return data  # written before entries carried a checksum
    body = data.get("value")
    if not isinstance(body, str) or hashlib.sha256(body.encode()).hexdigest() != data.get("sha256"):
        logger.warning(
            "cache entry %s fails its checksum (written by convogen %s); treating it as a miss",
            key[:16],
            data.get("version"),
        )
        return _MISS
    return _loads(body)


def _or_default(text: str | bytes | None, key: str, default: Any) -> Any:
    if text is None:
        return default
    value = decode(text, key)
    return default if value is _MISS else value


class InMemoryBackend:
    """A dict of JSON strings (so values round-trip exactly as they would on disk).

    No checksum: only this process writes the dict, so there is nothing to verify.
    """

    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``, or ``default``."""
        text = self._data.get(key)
        return default if text is None else _loads(text)

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``."""
        self._data[key] = _body(value)

    def close(self) -> None:
        """Nothing to release."""


class SQLiteBackend:
    """One SQLite file; safe to share between the threads ``run_sync`` may use."""

    def __init__(self, path: str | Path) -> None:
        import sqlite3  # imported here: the module costs ~10 ms at `import convogen`

        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(self.path), check_same_thread=False)
            _prefer_wal(self._conn)
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self._conn.commit()
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                "cache_path_root", str(self.path.parent), f"cannot open: {exc}"
            ) from exc
        self._lock = threading.Lock()

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``, or ``default``."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM cache WHERE key = ?", (key,)).fetchone()
        return _or_default(None if row is None else row[0], key, default)

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (replacing an older value)."""
        text = encode(value)
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO cache (key, value) VALUES (?, ?)", (key, text)
            )
            self._conn.commit()

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._conn.close()


def _prefer_wal(conn: sqlite3.Connection) -> None:
    """Write-ahead logging with ``synchronous=NORMAL`` where the file system allows it.

    A read then takes half the system calls and a write skips most fsyncs; the price, losing
    the last writes on a power cut, is fine for a cache. When another process holds the file
    (or the file system has no shared memory), the cache keeps its current journal mode.
    """
    import sqlite3

    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.OperationalError as exc:
        logger.debug("cache stays in its journal mode: %s", exc)


class RedisBackend:
    """Keys live under ``convogen:<cache_seed>:`` so seeds never see each other's entries."""

    def __init__(self, cache_seed: int | str, redis_url: str, client: Any = None) -> None:
        if client is None:
            try:
                import redis
            except ImportError as exc:  # pragma: no cover - depends on installed extras
                raise ConfigError(
                    "redis_url", redis_url, f"install 'redis' to use it: {exc}"
                ) from exc
            client = redis.Redis.from_url(redis_url)
        self._client = client
        self._prefix = f"convogen:{cache_seed}:"

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``, or ``default``."""
        return _or_default(self._client.get(self._prefix + key), key, default)

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``."""
        self._client.set(self._prefix + key, encode(value))

    def close(self) -> None:
        """Close the Redis connection."""
        self._client.close()
