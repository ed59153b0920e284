"""The SQLite runtime logger: one row per LLM call, tool/code/human effect, message, chat."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from typing import Any

from convogen.errors import ConfigError
from convogen.state.logging._observer import ChatObserver, EffectInfo, name_of, total_cost
from convogen.state.logging.schema import create_schema

_log = logging.getLogger("convogen.state.logging")


def to_json(value: Any) -> str:
    """JSON text for a log column; what JSON can't hold is logged as its repr, never fatal."""
    return json.dumps(value, default=repr, ensure_ascii=False)


def _error_text(error: BaseException | None) -> str | None:
    return None if error is None else f"{type(error).__name__}: {error}"


class SQLiteRuntimeLogger(ChatObserver):
    """Writes everything a session does to a SQLite file (safe to share between processes)."""

    def __init__(
        self, db_path: str | os.PathLike[str], config: dict[str, Any] | None = None
    ) -> None:
        super().__init__()
        if not isinstance(db_path, str | os.PathLike) or not str(db_path):
            raise ConfigError("db_path", db_path, "must be a file path")
        self.db_path = str(db_path)
        self.session_id = str(uuid.uuid4())
        self._lock = threading.Lock()  # effects run on worker threads too
        self._warned = False
        try:
            self._conn = sqlite3.connect(self.db_path, timeout=30.0, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            create_schema(self._conn)
        except sqlite3.Error as exc:
            raise ConfigError("db_path", self.db_path, f"cannot open log database: {exc}") from exc
        self._write(
            "INSERT INTO sessions (session_id, started_at, pid, config) VALUES (?, ?, ?, ?)",
            (self.session_id, time.time(), os.getpid(), to_json(config or {})),
        )

    def close(self) -> None:
        """Mark the session stopped and close the file."""
        self.uninstall()
        self._write(
            "UPDATE sessions SET stopped_at = ? WHERE session_id = ?",
            (time.time(), self.session_id),
        )
        with self._lock:
            self._conn.close()

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        # Logging observes the program; a full disk or a locked file must not stop a chat.
        with self._lock:
            try:
                with self._conn:
                    self._conn.execute(sql, params)
            except sqlite3.Error as exc:
                if not self._warned:
                    self._warned = True
                    _log.warning("runtime log %s: write failed (%s); continuing", self.db_path, exc)

    # -------------------------------------------------------------- effects
    def effect_finished(self, handle: Any, info: EffectInfo) -> None:
        if info.kind == "llm":
            self._llm_call(info)
            return
        request = info.request
        name = request.get("name")
        if info.kind == "code":
            name = ",".join(str(b.get("language")) for b in request.get("blocks") or [])
        self._write(
            "INSERT INTO effects (session_id, chat_id, kind, agent, name, request, result,"
            " latency_ms, error, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.session_id,
                info.chat_id,
                info.kind,
                request.get("agent"),
                None if name is None else str(name),
                to_json(request),
                None if info.error is not None else to_json(info.result),
                info.latency_ms,
                _error_text(info.error),
                info.started_at,
            ),
        )

    def _llm_call(self, info: EffectInfo) -> None:
        response = info.result if isinstance(info.result, dict) else {}
        usage = response.get("usage") or {}
        cost = response.get("cost")
        self._write(
            "INSERT INTO llm_calls (session_id, chat_id, agent, model, request, response,"
            " prompt_tokens, completion_tokens, cost, latency_ms, cached, error, started_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.session_id,
                info.chat_id,
                info.request.get("agent"),
                response.get("model") or info.request.get("model"),
                to_json(info.request),
                None if info.error is not None else to_json(info.result),
                usage.get("prompt_tokens"),
                usage.get("completion_tokens"),
                cost if isinstance(cost, int | float) else None,
                info.latency_ms,
                int(bool(response.get("cached"))),
                _error_text(info.error),
                info.started_at,
            ),
        )

    # -------------------------------------------------------------- events
    def chat_started(self, data: dict[str, Any]) -> None:
        self._write(
            "INSERT OR REPLACE INTO chats (session_id, chat_id, parent_chat_id, sender, recipient,"
            " started_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                self.session_id,
                data.get("chat_id"),
                self.parent_chat(),
                name_of(data.get("sender")),
                name_of(data.get("recipient")),
                time.time(),
            ),
        )

    def chat_finished(self, data: dict[str, Any]) -> None:
        result = data.get("result")
        reason = getattr(result, "stop_reason", None)
        cost = getattr(result, "cost", None)
        self._write(
            "UPDATE chats SET finished_at = ?, stop_reason = ?, stopped_by = ?, stop_detail = ?,"
            " summary = ?, cost = ?, total_cost = ?, error = ?"
            " WHERE session_id = ? AND chat_id = ?",
            (
                time.time(),
                None if reason is None else str(reason),
                getattr(result, "stopped_by", None),
                getattr(result, "stop_detail", None),
                _text(getattr(result, "summary", None)),
                to_json(cost) if cost else None,
                total_cost(cost),
                _error_text(getattr(result, "error", None)),
                self.session_id,
                data.get("chat_id"),
            ),
        )

    def message(self, data: dict[str, Any], chat_id: int | None) -> None:
        self._write(
            "INSERT INTO messages (session_id, chat_id, sender, recipient, message, timestamp)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                self.session_id,
                chat_id,
                name_of(data.get("sender")),
                name_of(data.get("recipient")),
                to_json(data.get("message")),
                time.time(),
            ),
        )

    def speaker_selected(self, data: dict[str, Any], chat_id: int | None) -> None:
        selection = data.get("selection")
        self._write(
            "INSERT INTO speaker_selections (session_id, chat_id, round, speaker, method, reason,"
            " candidates, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.session_id,
                chat_id,
                getattr(selection, "round", None),
                getattr(selection, "speaker", None),
                getattr(selection, "method", None),
                getattr(selection, "reason", None),
                to_json(list(getattr(selection, "candidates", ()) or ())),
                time.time(),
            ),
        )


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return to_json(value)
