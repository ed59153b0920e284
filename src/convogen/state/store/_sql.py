"""The SQL both backends share; subclasses supply the connection and the dialect's details."""

from __future__ import annotations

import json
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from convogen.errors import ConfigError
from convogen.state.store.base import (
    CheckpointConflictError,
    CheckpointError,
    RunNotFoundError,
    RunRecord,
    check_dict,
    check_kind,
    check_run_id,
    check_seq,
    check_status,
    dump_json,
    prepared_messages,
    same_json,
)

_RUN_COLUMNS = "run_id, kind, spec, status, state, created_at, updated_at"


class Cursor(Protocol):
    """The part of a DB-API cursor the shared SQL uses (sqlite3 and psycopg both fit)."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, query: Any, params: Any = ..., /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class SQLCheckpointStore(ABC):
    """A checkpoint store on two tables: runs (spec, status, state) and their messages."""

    #: DB-API parameter marker of the dialect; the shared SQL is written with '?'.
    placeholder = "?"
    #: Row lock taken when reading the run inside a write (SQLite locks the whole file).
    lock_clause = ""

    def __init__(self, runs_table: str, messages_table: str) -> None:
        self._runs = runs_table
        self._messages = messages_table
        self._lock = threading.RLock()  # one connection, shared by the caller's threads
        self._closed = False

    # ------------------------------------------------------------------ dialect hooks
    @abstractmethod
    def _transaction(self, write: bool) -> AbstractContextManager[Cursor]:
        """A cursor inside one transaction: committed on exit, rolled back on error."""

    @abstractmethod
    def _close_connection(self) -> None: ...

    def _sql(self, text: str) -> str:
        text = text.format(runs=self._runs, messages=self._messages)
        return text.replace("?", self.placeholder) if self.placeholder != "?" else text

    def _tx(self, write: bool) -> AbstractContextManager[Cursor]:
        if self._closed:
            raise CheckpointError(f"{type(self).__name__} is closed")
        return self._transaction(write)

    # ------------------------------------------------------------------ the interface
    def create_run(self, run_id: str, kind: str, spec: dict[str, Any]) -> None:
        """Create a run with status 'running'; ``CheckpointConflictError`` if it exists."""
        check_run_id(run_id)
        check_kind(kind)
        spec_text = dump_json("spec", check_dict("spec", spec))
        now = time.time()
        sql = self._sql(
            "INSERT INTO {runs} (" + _RUN_COLUMNS + ") VALUES (?, ?, ?, 'running', '{{}}', ?, ?) "
            "ON CONFLICT (run_id) DO NOTHING"
        )
        with self._tx(write=True) as cur:
            cur.execute(sql, (run_id, kind, spec_text, now, now))
            if cur.rowcount == 0:
                raise CheckpointConflictError(f"a run with run_id={run_id!r} already exists")

    def get_run(self, run_id: str) -> RunRecord | None:
        """The run, or None when there is none with this id."""
        check_run_id(run_id)
        sql = self._sql("SELECT " + _RUN_COLUMNS + " FROM {runs} WHERE run_id = ?")
        with self._tx(write=False) as cur:
            cur.execute(sql, (run_id,))
            row = cur.fetchone()
        return None if row is None else _record(row)

    def list_runs(self, status: str | None = None) -> list[RunRecord]:
        """All runs (optionally only those with ``status``), oldest first."""
        query = "SELECT " + _RUN_COLUMNS + " FROM {runs}"
        params: tuple[Any, ...] = ()
        if status is not None:
            query += " WHERE status = ?"
            params = (check_status(status),)
        sql = self._sql(query + " ORDER BY created_at, run_id")
        with self._tx(write=False) as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
        return [_record(row) for row in rows]

    def delete_run(self, run_id: str) -> bool:
        """Remove the run and its messages; False when there was no such run."""
        check_run_id(run_id)
        with self._tx(write=True) as cur:
            cur.execute(self._sql("DELETE FROM {messages} WHERE run_id = ?"), (run_id,))
            cur.execute(self._sql("DELETE FROM {runs} WHERE run_id = ?"), (run_id,))
            return cur.rowcount > 0

    def append_message(self, run_id: str, seq: int, message: dict[str, Any]) -> None:
        """Store ``message`` at ``seq``; a repeat is a no-op, a different one a conflict."""
        self._write(run_id, [(check_seq(seq), check_dict("message", message))], None)

    def messages(self, run_id: str) -> list[dict[str, Any]]:
        """The run's messages ordered by seq (empty for an unknown run)."""
        check_run_id(run_id)
        sql = self._sql("SELECT message FROM {messages} WHERE run_id = ? ORDER BY seq")
        with self._tx(write=False) as cur:
            cur.execute(sql, (run_id,))
            rows = cur.fetchall()
        return [json.loads(row[0]) for row in rows]

    def save_state(self, run_id: str, state: dict[str, Any], status: str) -> None:
        """Replace the run's state and status."""
        self._write(run_id, [], (state, status))

    def commit(
        self,
        run_id: str,
        messages: Sequence[tuple[int, dict[str, Any]]],
        state: dict[str, Any],
        status: str,
    ) -> None:
        """Write new messages and the state in one transaction: all of it or nothing."""
        self._write(run_id, messages, (state, status))

    def close(self) -> None:
        """Release the connection; the store is unusable afterwards."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._close_connection()

    def __enter__(self) -> SQLCheckpointStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ internals
    def _write(
        self,
        run_id: str,
        messages: Sequence[tuple[int, dict[str, Any]]],
        state_and_status: tuple[dict[str, Any], str] | None,
    ) -> None:
        check_run_id(run_id)
        if not isinstance(messages, Sequence):
            raise ConfigError("messages", messages, "must be a list of (seq, message) pairs")
        encoded = prepared_messages(messages)
        state_text = status = None
        if state_and_status is not None:
            state_text = dump_json("state", check_dict("state", state_and_status[0]))
            status = check_status(state_and_status[1])
        insert = self._sql(
            "INSERT INTO {messages} (run_id, seq, message) VALUES (?, ?, ?) "
            "ON CONFLICT (run_id, seq) DO NOTHING"
        )
        existing = self._sql("SELECT message FROM {messages} WHERE run_id = ? AND seq = ?")
        with self._tx(write=True) as cur:
            # Locking the run row serialises writers of one run (Postgres); SQLite's
            # BEGIN IMMEDIATE already holds the database write lock.
            cur.execute(
                self._sql("SELECT status FROM {runs} WHERE run_id = ?" + self.lock_clause),
                (run_id,),
            )
            if cur.fetchone() is None:
                raise RunNotFoundError(run_id)
            for seq, text in encoded:
                cur.execute(insert, (run_id, seq, text))
                if cur.rowcount == 0:
                    cur.execute(existing, (run_id, seq))
                    if not same_json(cur.fetchone()[0], text):
                        raise CheckpointConflictError(
                            f"run_id={run_id!r} already has a different message at seq={seq}"
                        )
            now = time.time()
            if state_text is not None:
                cur.execute(
                    self._sql(
                        "UPDATE {runs} SET state = ?, status = ?, updated_at = ? WHERE run_id = ?"
                    ),
                    (state_text, status, now, run_id),
                )
            elif encoded:
                cur.execute(
                    self._sql("UPDATE {runs} SET updated_at = ? WHERE run_id = ?"), (now, run_id)
                )


def _record(row: Sequence[Any]) -> RunRecord:
    run_id, kind, spec, status, state, created_at, updated_at = row
    return RunRecord(
        run_id=run_id,
        kind=kind,
        spec=json.loads(spec),
        status=status,
        state=json.loads(state),
        created_at=float(created_at),
        updated_at=float(updated_at),
    )
