"""A checkpoint store in PostgreSQL (psycopg 3; install the ``postgres`` extra)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from convogen.errors import ConfigError
from convogen.redaction import REDACTED, redact_url
from convogen.state.store._sql import Cursor, SQLCheckpointStore

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS {runs} (
    run_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    spec TEXT NOT NULL,
    status TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS convogen_runs_status ON {runs} (status);
CREATE TABLE IF NOT EXISTS {messages} (
    run_id TEXT NOT NULL REFERENCES {runs} (run_id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
)
"""


def _psycopg() -> Any:
    try:
        # Imported by name so type checking works where the optional extra is not installed.
        psycopg = importlib.import_module("psycopg")
    except ImportError as exc:
        raise ConfigError(
            "dsn", "postgresql://...", "PostgreSQL needs psycopg: pip install 'convogen[postgres]'"
        ) from exc
    return psycopg


class PostgresCheckpointStore(SQLCheckpointStore):
    """Runs in PostgreSQL tables (in ``schema``); JSON is stored as text, exactly as written.

    Text rather than jsonb keeps values byte-for-byte what the SQLite store holds, so both
    backends answer identically.
    """

    placeholder = "%s"
    lock_clause = " FOR UPDATE"

    def __init__(self, dsn: str, *, schema: str = "public", connect_timeout_s: int = 10) -> None:
        if not isinstance(dsn, str) or not dsn:
            raise ConfigError("dsn", dsn, "must be a PostgreSQL connection string")
        if not isinstance(schema, str) or not _IDENTIFIER.match(schema):
            raise ConfigError("schema", schema, "must be a plain SQL identifier")
        super().__init__(f'"{schema}".convogen_runs', f'"{schema}".convogen_run_messages')
        self.schema = schema
        self._dsn = dsn
        self._connect_timeout_s = connect_timeout_s
        self._conn = self._connect()
        with self._transaction(write=True) as cur:
            # Several processes may open a fresh database at once; CREATE ... IF NOT EXISTS
            # is not race-free in PostgreSQL, so creation is serialised by an advisory lock.
            cur.execute("SELECT pg_advisory_xact_lock(hashtext('convogen_checkpoint_schema'))")
            if schema != "public":
                cur.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            for statement in _SCHEMA.split(";"):
                cur.execute(self._sql(statement))

    def _connect(self) -> Any:
        psycopg = _psycopg()
        try:
            return psycopg.connect(
                self._dsn, autocommit=True, connect_timeout=self._connect_timeout_s
            )
        except psycopg.Error as exc:
            raise ConfigError("dsn", _redacted(self._dsn), f"cannot connect: {exc}") from exc

    def _transaction(self, write: bool) -> AbstractContextManager[Cursor]:
        return self._pg_transaction()

    @contextmanager
    def _pg_transaction(self) -> Iterator[Cursor]:
        with self._lock:
            if self._conn.closed:
                # The server closed the session (restart, idle timeout): open a new one.
                # Committed work is in the database, so nothing is lost by reconnecting.
                self._conn = self._connect()
            with self._conn.transaction(), self._conn.cursor() as cur:
                yield cur

    def _close_connection(self) -> None:
        self._conn.close()

    def __repr__(self) -> str:
        return f"PostgresCheckpointStore({_redacted(self._dsn)!r}, schema={self.schema!r})"


def _redacted(dsn: str) -> str:
    """The DSN with any password hidden, for error messages (URL or key=value form)."""
    if "://" in dsn:
        return redact_url(dsn)
    return re.sub(r"(password\s*=\s*)\S+", rf"\g<1>{REDACTED}", dsn)
