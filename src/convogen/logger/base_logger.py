"""Classic ``autogen.logger.base_logger``: the interface every runtime logger implements."""

from __future__ import annotations

import sqlite3
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

__all__ = ["BaseLogger", "F", "LLMConfig"]

F = TypeVar("F", bound=Callable[..., Any])
LLMConfig = dict[str, Any | str | list[dict[str, Any] | str]]


class BaseLogger(ABC):
    """A runtime logger: started, fed records (completions, agents, events), stopped."""

    observes_runtime: ClassVar[bool] = False
    """True when ``start()`` itself subscribes to convogen's events (the packaged loggers);
    ``runtime_logging.start`` feeds any other logger from those events."""

    @abstractmethod
    def start(self) -> str:
        """Open the log; returns the session id."""

    @abstractmethod
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
        """Log one chat completion (request, response, cost, timing)."""

    @abstractmethod
    def log_new_agent(self, agent: Any, init_args: dict[str, Any]) -> None:
        """Log an agent and its constructor arguments."""

    @abstractmethod
    def log_event(self, source: Any, name: str, **kwargs: Any) -> None:
        """Log a named event of an agent or a string source."""

    @abstractmethod
    def log_new_wrapper(self, wrapper: Any, init_args: Any) -> None:
        """Log a model-client wrapper and its configuration."""

    @abstractmethod
    def log_new_client(self, client: Any, wrapper: Any, init_args: dict[str, Any]) -> None:
        """Log a model client created by a wrapper."""

    @abstractmethod
    def log_function_use(
        self, source: Any, function: Any, args: dict[str, Any], returns: Any
    ) -> None:
        """Log a call of a registered function."""

    @abstractmethod
    def stop(self) -> None:
        """Close the log."""

    @abstractmethod
    def get_connection(self) -> sqlite3.Connection | None:
        """The database connection, for loggers that have one."""
