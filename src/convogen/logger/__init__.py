"""Classic ``autogen.logger``: the packaged runtime loggers and their factory."""

from convogen.logger import logger_utils
from convogen.logger.file_logger import FileLogger
from convogen.logger.logger_factory import LoggerFactory
from convogen.logger.sqlite_logger import SqliteLogger

__all__ = ["FileLogger", "LoggerFactory", "SqliteLogger", "logger_utils"]
