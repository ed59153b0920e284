"""Classic ``autogen.logger.file_logger``: the runtime log as JSON lines in a file."""

from __future__ import annotations

import os
from typing import Any

from convogen.errors import ConfigError
from convogen.logger._runtime import RecorderLogger
from convogen.logger.base_logger import F
from convogen.state.logging import FileRuntimeLogger
from convogen.state.logging.records import safe_json

__all__ = ["F", "FileLogger", "safe_serialize"]


class FileLogger(RecorderLogger):
    """Logs to ``autogen_logs/<config['filename']>`` (default ``runtime.log``) under the cwd.

    An absolute ``filename`` is used as it is.
    """

    def __init__(self, config: dict[str, Any]) -> None:
        if not isinstance(config, dict):
            raise ConfigError("config", config, "must be a dict such as {'filename': 'run.log'}")
        self.config = config
        self.log_dir = os.path.join(os.getcwd(), "autogen_logs")
        self.log_file = os.path.join(self.log_dir, str(config.get("filename", "runtime.log")))
        runtime = FileRuntimeLogger(self.log_file)
        super().__init__(runtime, runtime.session_id)


def safe_serialize(obj: Any) -> str:
    """JSON text of ``obj``; values JSON can't hold become ``<<non-serializable: Type>>``."""
    return safe_json(obj)
