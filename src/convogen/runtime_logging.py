"""Classic ``autogen.runtime_logging``: start, feed and stop the session's runtime logger.

``start(config={"dbname": "logs.db"})`` logs every model call, agent, message and tool call of
the process to SQLite with AutoGen 0.2's tables (``logger_type="file"``: JSON lines). Nothing is
observed, and nothing costs, until ``start`` is called.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from typing import Any, Literal

from convogen.logger.base_logger import BaseLogger, F, LLMConfig
from convogen.logger.logger_factory import LoggerFactory

__all__ = [
    "F",
    "LLMConfig",
    "get_connection",
    "log_chat_completion",
    "log_event",
    "log_function_use",
    "log_new_agent",
    "log_new_client",
    "log_new_wrapper",
    "logging_enabled",
    "start",
    "stop",
]

logger = logging.getLogger(__name__)

autogen_logger: BaseLogger | None = None
is_logging = False
_feeder: Any = None  # the recorder that feeds a user-supplied logger from convogen's events
_lock = threading.Lock()


def start(
    logger: BaseLogger | None = None,
    logger_type: Literal["sqlite", "file"] = "sqlite",
    config: dict[str, Any] | None = None,
) -> str:
    """Start logging the runtime to ``logger`` (or a new one of ``logger_type``); the session id.

    A session already logging is stopped first.
    """
    global autogen_logger, is_logging, _feeder
    chosen = logger if logger is not None else LoggerFactory.get_logger(logger_type, config)
    with _lock:
        _stop_locked()
        session_id = chosen.start()
        if not chosen.observes_runtime:
            from convogen.state.logging import ForwardingRecorder, activate

            _feeder = ForwardingRecorder(chosen)
            activate(_feeder)
        autogen_logger, is_logging = chosen, True
    return session_id


def stop() -> None:
    """Stop the running session (idempotent)."""
    with _lock:
        _stop_locked()


def _stop_locked() -> None:
    global is_logging, _feeder
    if _feeder is not None:
        from convogen.state.logging import deactivate

        deactivate(_feeder)
        _feeder = None
    if autogen_logger is not None and is_logging:
        autogen_logger.stop()
    is_logging = False


def get_connection() -> sqlite3.Connection | None:
    """The SQLite connection of the current (or last) logger; None for other loggers."""
    if autogen_logger is None:
        logger.error("[runtime logging] get_connection: no logger was started")
        return None
    return autogen_logger.get_connection()


def logging_enabled() -> bool:
    """True between ``start()`` and ``stop()``."""
    return is_logging


def _active(caller: str) -> BaseLogger | None:
    if autogen_logger is None or not is_logging:
        logger.error("[runtime logging] %s: logging is not started", caller)
        return None
    return autogen_logger


def log_chat_completion(
    invocation_id: uuid.UUID,
    client_id: int,
    wrapper_id: int,
    agent: Any,
    request: dict[str, Any],
    response: Any,
    is_cached: int,
    cost: float,
    start_time: str,
) -> None:
    """Log a chat completion made outside convogen's model wrapper."""
    target = _active("log_chat_completion")
    if target is not None:
        target.log_chat_completion(
            invocation_id,
            client_id,
            wrapper_id,
            agent,
            request,
            response,
            is_cached,
            cost,
            start_time,
        )


def log_new_agent(agent: Any, init_args: dict[str, Any]) -> None:
    """Log an agent and its constructor arguments (credentials are never written)."""
    target = _active("log_new_agent")
    if target is not None:
        target.log_new_agent(agent, init_args)


def log_event(source: Any, name: str, **kwargs: Any) -> None:
    """Log a named event of an agent or a string source."""
    target = _active("log_event")
    if target is not None:
        target.log_event(source, name, **kwargs)


def log_function_use(agent: Any, function: F, args: dict[str, Any], returns: Any) -> None:
    """Log a call of a registered function."""
    target = _active("log_function_use")
    if target is not None:
        target.log_function_use(agent, function, args, returns)


def log_new_wrapper(wrapper: Any, init_args: dict[str, LLMConfig | list[LLMConfig]]) -> None:
    """Log a model-client wrapper and its configuration (credentials are never written)."""
    target = _active("log_new_wrapper")
    if target is not None:
        target.log_new_wrapper(wrapper, init_args)


def log_new_client(client: Any, wrapper: Any, init_args: dict[str, Any]) -> None:
    """Log a model client created by a wrapper (credentials are never written)."""
    target = _active("log_new_client")
    if target is not None:
        target.log_new_client(client, wrapper, init_args)
