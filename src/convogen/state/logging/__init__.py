"""Runtime logging: every LLM call, message, tool call and chat of a session in SQLite.

``start_logging()`` / ``stop_logging()`` write classic AutoGen's tables plus convogen's own
(the classic facade ``convogen.runtime_logging`` starts the same loggers, or a JSON-lines file);
``enable_tracing()`` emits OpenTelemetry spans instead of (or as well as) the SQLite log.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from convogen.errors import ConfigError
from convogen.state.logging.classic import ClassicRecorder, ForwardingRecorder
from convogen.state.logging.file_writer import FileRuntimeLogger
from convogen.state.logging.otel import SpanObserver, disable_tracing, enable_tracing
from convogen.state.logging.queries import (
    chat_calls,
    chat_messages,
    chat_summary,
    export_chat,
    list_chats,
    usage_table,
)
from convogen.state.logging.writer import SQLiteRuntimeLogger

__all__ = [
    "ClassicRecorder",
    "FileRuntimeLogger",
    "ForwardingRecorder",
    "SQLiteRuntimeLogger",
    "SpanObserver",
    "activate",
    "active_logger",
    "chat_calls",
    "chat_messages",
    "chat_summary",
    "deactivate",
    "disable_tracing",
    "enable_tracing",
    "export_chat",
    "list_chats",
    "start",
    "start_logging",
    "stop",
    "stop_logging",
    "usage_table",
]

_active: ClassicRecorder | None = None
_owns_tracing = False  # stop_logging() ends only the tracing that start_logging() began
_lock = threading.Lock()


def start_logging(
    db_path: str | os.PathLike[str] = "convogen_logs.db",
    config: dict[str, Any] | None = None,
    *,
    otel: bool = False,
    tracer_provider: Any = None,
) -> str:
    """Log this session to ``db_path`` (``config['dbname']`` overrides it); returns its id.

    A session already logging is stopped first. ``otel=True`` also emits OpenTelemetry spans
    (to ``tracer_provider`` or the global one).
    """
    global _active, _owns_tracing
    if config is not None and not isinstance(config, dict):
        raise ConfigError("config", config, "must be a dict such as {'dbname': 'logs.db'}")
    db = (config or {}).get("dbname", db_path)
    with _lock:
        _stop_locked()
        logger = SQLiteRuntimeLogger(db, config)
        if otel:
            enable_tracing(tracer_provider)
            _owns_tracing = True
        logger.install()
        _active = logger
        return logger.session_id


def activate(recorder: ClassicRecorder) -> None:
    """Make ``recorder`` the session's logger (a logger already running is stopped first)."""
    global _active
    with _lock:
        if _active is recorder:
            return
        _stop_locked()
        recorder.install()
        _active = recorder


def deactivate(recorder: ClassicRecorder) -> None:
    """Stop ``recorder`` (and end the session if it is the running one); idempotent."""
    with _lock:
        if _active is recorder:
            _stop_locked()
            return
    recorder.close()


def stop_logging() -> None:
    """Stop the session started by :func:`start_logging` (and its tracing); idempotent."""
    with _lock:
        _stop_locked()


def _stop_locked() -> None:
    global _active, _owns_tracing
    if _active is not None:
        _active.close()
        _active = None
    if _owns_tracing:
        disable_tracing()
        _owns_tracing = False


def active_logger() -> SQLiteRuntimeLogger | None:
    """The SQLite logger of the running session, if any."""
    return _active if isinstance(_active, SQLiteRuntimeLogger) else None


def start(logger_type: str = "sqlite", config: dict[str, Any] | None = None) -> str:
    """Start a SQLite session (``convogen.runtime_logging.start`` also offers the file logger)."""
    if logger_type != "sqlite":
        raise ConfigError(
            "logger_type", logger_type, "use 'sqlite' here, or convogen.runtime_logging.start"
        )
    return start_logging(config=config)


def stop() -> None:
    """Classic ``autogen.runtime_logging.stop``."""
    stop_logging()
