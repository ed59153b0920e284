"""Classic runtime loggers behave as AutoGen 0.2's upstream tests expect."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

import convogen.runtime_logging as runtime_logging
from convogen.logger.file_logger import FileLogger


@pytest.fixture
def file_logger(tmp_path: Path) -> Iterator[FileLogger]:
    logger = FileLogger({"filename": str(tmp_path / "run.log")})
    yield logger
    logger.stop()


def _lines(logger: FileLogger) -> list[dict[str, object]]:
    text = Path(logger.log_file).read_text()
    return [json.loads(line) for line in text.splitlines()]


def test_a_file_logger_writes_nothing_before_it_is_started(file_logger: FileLogger) -> None:
    assert _lines(file_logger) == []


def test_a_file_logger_writes_a_text_response_as_it_is(file_logger: FileLogger) -> None:
    file_logger.log_chat_completion(
        uuid.uuid4(), 1, 2, "me", {"messages": []}, "plain", 0, 0.5, "t0"
    )
    assert _lines(file_logger)[0]["response"] == "plain"


def test_a_record_that_cannot_be_written_is_logged_not_raised() -> None:
    runtime_logging.start(config={"dbname": ":memory:"})
    try:
        with patch("logging.Logger.error") as error:
            bad_is_cached: Any = {"bad": 1}
            runtime_logging.log_chat_completion(
                uuid.uuid4(), 1, 2, "me", {"messages": []}, None, bad_is_cached, 0.1, "t0"
            )
    finally:
        runtime_logging.stop()
    assert error.call_args[0][0].startswith("[sqlite logger]Error running query with query")
