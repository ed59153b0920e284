"""Classic ``autogen.logger.sqlite_logger``: the runtime log in a SQLite file (0.2's tables)."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from convogen.errors import ConfigError
from convogen.logger._runtime import RecorderLogger
from convogen.logger.base_logger import F
from convogen.state.logging import SQLiteRuntimeLogger
from convogen.state.logging.records import safe_json

__all__ = ["F", "SqliteLogger", "lock", "safe_serialize"]

lock = threading.Lock()
"""Classic module-level lock; convogen's writer serialises its own writes."""


class SqliteLogger(RecorderLogger):
    """Logs to ``config['dbname']`` (default ``logs.db``) with classic AutoGen's tables."""

    schema_version = 1

    def __init__(self, config: dict[str, Any]) -> None:
        if not isinstance(config, dict):
            raise ConfigError("config", config, "must be a dict such as {'dbname': 'logs.db'}")
        self.config = config
        self.dbname = str(config.get("dbname", "logs.db"))
        self._runtime = SQLiteRuntimeLogger(self.dbname, config)
        super().__init__(self._runtime, self._runtime.session_id)

    def get_connection(self) -> sqlite3.Connection | None:
        """The logger's SQLite connection (closed once stopped)."""
        return self._runtime.connection


def safe_serialize(obj: Any) -> str:
    """JSON text of ``obj``; values JSON can't hold become ``<<non-serializable: Type>>``."""
    return safe_json(obj)
