"""The shared body of the packaged classic loggers: delegate to a convogen runtime logger."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any, ClassVar

from convogen.logger.base_logger import BaseLogger
from convogen.state.logging import ClassicRecorder, activate, deactivate


class RecorderLogger(BaseLogger):
    """A classic logger backed by one of convogen's runtime loggers (``self.recorder``)."""

    observes_runtime: ClassVar[bool] = True

    def __init__(self, recorder: ClassicRecorder, session_id: str) -> None:
        self.recorder = recorder
        self.session_id = session_id

    def start(self) -> str:
        """Start observing the runtime; returns the session id."""
        activate(self.recorder)
        return self.session_id

    def stop(self) -> None:
        """Stop observing and close the log."""
        deactivate(self.recorder)

    def get_connection(self) -> sqlite3.Connection | None:
        """None: only the SQLite logger has a connection."""
        return None

    def log_chat_completion(
        self,
        invocation_id: uuid.UUID,
        client_id: int,
        wrapper_id: int,
        source: Any,
        request: dict[str, Any],
        response: Any,
        is_cached: int,
        cost: float,
        start_time: str,
    ) -> None:
        """Log one chat completion."""
        self.recorder.log_chat_completion(
            invocation_id,
            client_id,
            wrapper_id,
            source,
            request,
            response,
            is_cached,
            cost,
            start_time,
        )

    def log_new_agent(self, agent: Any, init_args: dict[str, Any] | None = None) -> None:
        """Log an agent and its constructor arguments (credentials left out)."""
        self.recorder.log_new_agent(agent, init_args)

    def log_event(self, source: Any, name: str, **kwargs: Any) -> None:
        """Log a named event."""
        self.recorder.log_event(source, name, **kwargs)

    def log_new_wrapper(self, wrapper: Any, init_args: Any = None) -> None:
        """Log a model-client wrapper (credentials left out)."""
        self.recorder.log_new_wrapper(wrapper, init_args)

    def log_new_client(self, client: Any, wrapper: Any, init_args: dict[str, Any]) -> None:
        """Log a model client (credentials left out)."""
        self.recorder.log_new_client(client, wrapper, init_args)

    def log_function_use(
        self, source: Any, function: Any, args: dict[str, Any], returns: Any
    ) -> None:
        """Log a call of a registered function."""
        self.recorder.log_function_use(source, function, args, returns)
