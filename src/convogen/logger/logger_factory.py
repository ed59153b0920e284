"""Classic ``autogen.logger.logger_factory``: a runtime logger by type name."""

from __future__ import annotations

from typing import Any, Literal

from convogen.errors import ConfigError
from convogen.logger.base_logger import BaseLogger

__all__ = ["LoggerFactory"]


class LoggerFactory:
    """Builds the packaged loggers: ``"sqlite"`` or ``"file"``."""

    @staticmethod
    def get_logger(
        logger_type: Literal["sqlite", "file"] = "sqlite", config: dict[str, Any] | None = None
    ) -> BaseLogger:
        """A new logger of ``logger_type`` configured by ``config``."""
        if logger_type == "sqlite":
            from convogen.logger.sqlite_logger import SqliteLogger

            return SqliteLogger(config if config is not None else {})
        if logger_type == "file":
            from convogen.logger.file_logger import FileLogger

            return FileLogger(config if config is not None else {})
        raise ConfigError("logger_type", logger_type, "use 'sqlite' or 'file'")
