"""The SQLite runtime logger: classic AutoGen's tables plus convogen's chats, effects, messages."""

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
from convogen.events import ChatFinished, ChatStarted, MessageSent, SpeakerSelected
from convogen.results import StopReason
from convogen.state.durable import HumanInputPendingError
from convogen.state.logging._observer import EffectInfo, name_of, total_cost
from convogen.state.logging.classic import ClassicRecorder
from convogen.state.logging.records import (
    CompletionRecord,
    current_ts,
    redacted_json,
    safe_json,
    source_name,
    without_secrets,
)
from convogen.state.logging.schema import create_schema

_log = logging.getLogger("convogen.state.logging")


def to_json(value: Any) -> str:
    """JSON text for a log column; what JSON can't hold is logged as its repr, never fatal."""
    return json.dumps(value, default=repr, ensure_ascii=False)


def _error_text(error: BaseException | None) -> str | None:
    return None if error is None else f"{type(error).__name__}: {error}"


class SQLiteRuntimeLogger(ClassicRecorder):
    """Writes everything a session does to a SQLite file (safe to share between processes)."""

    error_prefix = "[sqlite logger]"

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
            (self.session_id, time.time(), os.getpid(), redacted_json(config or {})),
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

    @property
    def connection(self) -> sqlite3.Connection:
        """The open SQLite connection (classic ``get_connection()``)."""
        return self._conn

    # -------------------------------------------------------------- effects
    def effect_finished(self, handle: Any, info: EffectInfo) -> None:
        if info.kind != "llm":
            self._effect(info)
        super().effect_finished(handle, info)

    def _effect(self, info: EffectInfo) -> None:
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
                redacted_json(request),
                None if info.error is not None else to_json(info.result),
                info.latency_ms,
                _error_text(info.error),
                info.started_at,
            ),
        )

    # -------------------------------------------------------------- classic records
    def record_completion(self, record: CompletionRecord) -> None:
        self._write(
            "INSERT INTO chat_completions (invocation_id, client_id, wrapper_id, session_id,"
            " source_name, request, response, is_cached, cost, start_time, end_time, chat_id,"
            " model, prompt_tokens, completion_tokens, latency_ms, error, started_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.invocation_id,
                record.client_id,
                record.wrapper_id,
                self.session_id,
                record.source_name,
                safe_json(record.request),
                None if record.response is None else safe_json(record.response),
                record.is_cached,
                record.cost,
                record.start_time,
                record.end_time,
                record.chat_id,
                record.model,
                record.prompt_tokens,
                record.completion_tokens,
                record.latency_ms,
                record.error,
                time.time() if record.started_at is None else record.started_at,
            ),
        )

    def record_agent(self, agent: Any, init_args: dict[str, Any]) -> None:
        self._write(
            "INSERT INTO agents (agent_id, wrapper_id, session_id, name, class, init_args,"
            " timestamp) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id, session_id)"
            " DO UPDATE SET name = excluded.name, class = excluded.class,"
            " init_args = excluded.init_args, timestamp = excluded.timestamp",
            (
                id(agent),
                None,
                self.session_id,
                source_name(agent) or "",
                type(agent).__name__,
                safe_json(without_secrets(init_args)),
                current_ts(),
            ),
        )

    def record_event(self, source: Any, name: str, state: dict[str, Any]) -> None:
        is_agent = not isinstance(source, str)
        self._write(
            "INSERT INTO events (source_id, source_name, event_name, agent_module,"
            " agent_class_name, json_state, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                id(source),
                source_name(source),
                name,
                type(source).__module__ if is_agent else None,
                type(source).__name__ if is_agent else None,
                redacted_json(state),
                current_ts(),
            ),
        )

    def record_function_use(self, source: Any, function: str, args: Any, returns: Any) -> None:
        self._write(
            "INSERT INTO function_calls (source_id, source_name, function_name, args, returns,"
            " timestamp) VALUES (?, ?, ?, ?, ?, ?)",
            (
                None if isinstance(source, str) or source is None else id(source),
                source_name(source),
                function,
                redacted_json(args),
                redacted_json(returns),
                current_ts(),
            ),
        )

    def record_wrapper(self, wrapper: Any, init_args: Any) -> None:
        self._write(
            "INSERT INTO oai_wrappers (wrapper_id, session_id, init_args, timestamp)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (wrapper_id, session_id) DO NOTHING",
            (id(wrapper), self.session_id, safe_json(without_secrets(init_args)), current_ts()),
        )

    def record_client(self, client: Any, wrapper: Any, init_args: Any) -> None:
        self._write(
            "INSERT INTO oai_clients (client_id, wrapper_id, session_id, class, init_args,"
            " timestamp) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, session_id) DO NOTHING",
            (
                id(client),
                id(wrapper),
                self.session_id,
                type(client).__name__,
                safe_json(without_secrets(init_args)),
                current_ts(),
            ),
        )

    # -------------------------------------------------------------- events
    def chat_started(self, event: ChatStarted) -> None:
        super().chat_started(event)
        self._write(
            "INSERT OR REPLACE INTO chats (session_id, chat_id, parent_chat_id, sender, recipient,"
            " started_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                self.session_id,
                event.chat_id,
                self.parent_chat(),
                name_of(event.sender),
                name_of(event.recipient),
                time.time(),
            ),
        )

    def chat_finished(self, event: ChatFinished) -> None:
        result = event.result
        reason = getattr(result, "stop_reason", None)
        error = getattr(result, "error", None)
        if isinstance(error, HumanInputPendingError):
            reason, error = StopReason.PAUSED, None  # a durable run waits for a person
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
                _error_text(error),
                self.session_id,
                event.chat_id,
            ),
        )

    def message(self, event: MessageSent, chat_id: int | None) -> None:
        super().message(event, chat_id)
        self._write(
            "INSERT INTO messages (session_id, chat_id, sender, recipient, message, timestamp)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                self.session_id,
                chat_id,
                name_of(event.sender),
                name_of(event.recipient),
                to_json(event.message),
                time.time(),
            ),
        )

    def speaker_selected(self, event: SpeakerSelected, chat_id: int | None) -> None:
        super().speaker_selected(event, chat_id)
        selection = event.selection
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
