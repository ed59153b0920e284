"""Checkpoint stores for durable chats: SQLite (stdlib) and PostgreSQL (optional extra)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from convogen.errors import ConfigError
from convogen.state.store.base import (
    RUN_STATUSES,
    CheckpointConflictError,
    CheckpointError,
    CheckpointStore,
    RunNotFoundError,
    RunRecord,
    RunStatus,
)
from convogen.state.store.sqlite import SQLiteCheckpointStore

if TYPE_CHECKING:
    from convogen.state.store.postgres import PostgresCheckpointStore

__all__ = [
    "RUN_STATUSES",
    "CheckpointConflictError",
    "CheckpointError",
    "CheckpointStore",
    "PostgresCheckpointStore",
    "RunNotFoundError",
    "RunRecord",
    "RunStatus",
    "SQLiteCheckpointStore",
    "open_store",
]


def open_store(url: str | os.PathLike[str]) -> CheckpointStore:
    """Open ``sqlite:///relative.db``, ``sqlite:////abs.db``, a plain path or ``postgresql://``."""
    if isinstance(url, os.PathLike):
        return SQLiteCheckpointStore(url)
    if not isinstance(url, str) or not url:
        raise ConfigError("url", url, "must be a sqlite:/// or postgresql:// URL or a file path")
    if url.startswith(("postgresql://", "postgres://")):
        from convogen.state.store.postgres import PostgresCheckpointStore

        return PostgresCheckpointStore(url)
    if url.startswith("sqlite:"):
        # SQLAlchemy's convention: three slashes then the path, so an absolute path has four.
        if url in ("sqlite://", "sqlite:///:memory:"):
            return SQLiteCheckpointStore(":memory:")
        if not url.startswith("sqlite:///") or len(url) == len("sqlite:///"):
            raise ConfigError("url", url, "use sqlite:///relative/path.db or sqlite:////abs.db")
        return SQLiteCheckpointStore(url[len("sqlite:///") :])
    if "://" in url:
        raise ConfigError("url", url, "unknown scheme; use sqlite:///, postgresql:// or a path")
    return SQLiteCheckpointStore(url)


def __getattr__(name: str) -> object:
    # psycopg is optional: the Postgres class is imported only when someone asks for it.
    if name == "PostgresCheckpointStore":
        from convogen.state.store.postgres import PostgresCheckpointStore

        return PostgresCheckpointStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
