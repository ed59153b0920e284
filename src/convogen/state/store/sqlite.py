"""A checkpoint store in one SQLite file (stdlib sqlite3, WAL, fully synchronous commits)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from convogen.errors import ConfigError
from convogen.state.store._sql import Cursor, SQLCheckpointStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS convogen_runs (
    run_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    spec TEXT NOT NULL,
    status TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS convogen_runs_status ON convogen_runs (status);
CREATE TABLE IF NOT EXISTS convogen_run_messages (
    run_id TEXT NOT NULL REFERENCES convogen_runs (run_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
"""


class SQLiteCheckpointStore(SQLCheckpointStore):
    """Runs in a SQLite file; a committed step survives SIGKILL and power loss (sync=FULL).

    Several processes may use the same file; writers take turns (``BEGIN IMMEDIATE`` with a
    busy timeout), readers see the last committed step. ``":memory:"`` works for tests.
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout_s: float = 30.0) -> None:
        if not isinstance(path, str | os.PathLike) or not str(path):
            raise ConfigError("path", path, "must be a file path or ':memory:'")
        super().__init__("convogen_runs", "convogen_run_messages")
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise ConfigError("path", self.path, f"directory {parent} does not exist")
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is
            # exactly one commit() call and never silently widened by the sqlite3 module.
            self._conn = sqlite3.connect(
                self.path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise ConfigError("path", self.path, f"cannot open SQLite database: {exc}") from exc
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL syncs the WAL on every commit: a committed step is on disk before we return.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        with self._transaction(write=True) as cur:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    cur.execute(statement)

    def _transaction(self, write: bool) -> AbstractContextManager[Cursor]:
        return self._sqlite_transaction(write)

    @contextmanager
    def _sqlite_transaction(self, write: bool) -> Iterator[Cursor]:
        with self._lock:
            cur = self._conn.cursor()
            # IMMEDIATE takes the write lock up front, so two writers never both read the
            # old state and then collide (SQLITE_BUSY mid-transaction).
            cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                cur.close()

    def _close_connection(self) -> None:
        self._conn.close()

    def __repr__(self) -> str:
        return f"SQLiteCheckpointStore({self.path!r})"
