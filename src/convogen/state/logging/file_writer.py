"""The file runtime logger: one JSON object per line, with classic AutoGen's record fields."""

from __future__ import annotations

import logging
import os
import threading
import uuid
from pathlib import Path
from typing import IO, Any

from convogen.errors import ConfigError
from convogen.state.logging.classic import ClassicRecorder
from convogen.state.logging.records import (
    CompletionRecord,
    current_ts,
    redacted_json,
    safe_json,
    source_name,
    without_secrets,
)

_log = logging.getLogger("convogen.state.logging")


class FileRuntimeLogger(ClassicRecorder):
    """Appends the session's chat completions, agents, events and function calls to a file."""

    error_prefix = "[file_logger]"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        if not isinstance(path, str | os.PathLike) or not str(path):
            raise ConfigError("filename", path, "must be a file path")
        self.path = Path(path)
        self.session_id = str(uuid.uuid4())
        self._lock = threading.Lock()
        self._warned = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file: IO[str] | None = self.path.open("a", encoding="utf-8")
        except OSError as exc:
            raise ConfigError("filename", str(path), f"cannot open log file: {exc}") from exc

    def install(self) -> None:
        """Start observing; the session's first line is written now, not at construction."""
        self._line({"session_id": self.session_id, "event_name": "session_started"})
        super().install()

    def close(self) -> None:
        """Stop observing and close the file."""
        self.uninstall()
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def _line(self, record: dict[str, Any]) -> None:
        text = safe_json({**record, "thread_id": threading.get_ident()})
        with self._lock:
            if self._file is None:
                return
            try:
                self._file.write(text + "\n")
                self._file.flush()
            except OSError as exc:  # logging must not stop a chat
                if not self._warned:
                    self._warned = True
                    _log.warning("runtime log %s: write failed (%s); continuing", self.path, exc)

    def record_completion(self, record: CompletionRecord) -> None:
        self._line(
            {
                "invocation_id": record.invocation_id,
                "client_id": record.client_id,
                "wrapper_id": record.wrapper_id,
                "request": record.request,
                "response": _plain_response(record.response),
                "is_cached": record.is_cached,
                "cost": record.cost,
                "start_time": record.start_time,
                "end_time": record.end_time,
                "source_name": record.source_name,
            }
        )

    def record_agent(self, agent: Any, init_args: dict[str, Any]) -> None:
        self._line(
            {
                "id": id(agent),
                "agent_name": source_name(agent) or "",
                "wrapper_id": None,
                "session_id": self.session_id,
                "current_time": current_ts(),
                "agent_type": type(agent).__name__,
                "args": without_secrets(init_args),
            }
        )

    def record_event(self, source: Any, name: str, state: dict[str, Any]) -> None:
        record: dict[str, Any] = {
            "source_id": id(source),
            "source_name": source_name(source),
            "event_name": name,
        }
        if not isinstance(source, str):
            record["agent_module"] = type(source).__module__
            record["agent_class"] = type(source).__name__
        self._line({**record, "json_state": redacted_json(state), "timestamp": current_ts()})

    def record_function_use(self, source: Any, function: str, args: Any, returns: Any) -> None:
        self._line(
            {
                "source_id": None if isinstance(source, str) or source is None else id(source),
                "source_name": source_name(source),
                "function_name": function,
                "timestamp": current_ts(),
                "input_args": redacted_json(args),
                "returns": redacted_json(returns),
            }
        )

    def record_wrapper(self, wrapper: Any, init_args: Any) -> None:
        self._line(
            {
                "wrapper_id": id(wrapper),
                "session_id": self.session_id,
                "json_state": safe_json(without_secrets(init_args)),
                "timestamp": current_ts(),
            }
        )

    def record_client(self, client: Any, wrapper: Any, init_args: Any) -> None:
        self._line(
            {
                "client_id": id(client),
                "wrapper_id": id(wrapper),
                "session_id": self.session_id,
                "class": type(client).__name__,
                "json_state": safe_json(without_secrets(init_args)),
                "timestamp": current_ts(),
            }
        )


def _plain_response(response: Any) -> Any:
    """A text (or missing) response as itself, as 0.2's file log writes it; others unchanged."""
    if isinstance(response, dict) and set(response) == {"response"}:
        inner = response["response"]
        if inner is None or isinstance(inner, str):
            return inner
    return response
