"""Errors of recording and replaying runs."""

from __future__ import annotations

from pathlib import Path

from convogen.errors import ConvogenError


class RecordingError(ConvogenError):
    """Base class of the errors raised while recording, loading or replaying a cassette."""


class CassetteError(RecordingError, ValueError):
    """A cassette file is unreadable or malformed; names the file and line."""

    def __init__(self, path: str | Path | None, line: int | None, problem: str) -> None:
        self.path = None if path is None else str(path)
        self.line = line
        self.problem = problem
        where = self.path or "<cassette>"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}: {problem}")


class CassetteWarning(UserWarning):
    """Something in a cassette was tolerated (a truncated last line, an unserialisable value)."""


class ReplayError(RecordingError):
    """A run being replayed diverged from its recording."""


class ReplayMismatchError(ReplayError):
    """An effect's request differs from the recorded one at the same position."""

    def __init__(self, seq: int, kind: str, recorded: object, actual: object, diff: str) -> None:
        self.seq = seq
        self.kind = kind
        self.recorded = recorded
        self.actual = actual
        self.diff = diff
        super().__init__(
            f"replay diverged at seq={seq} (kind={kind!r}): the request differs from the "
            f"recorded one\n{diff}"
        )


class ReplayExhaustedError(ReplayError):
    """The run asked for more effects of a kind than the cassette recorded."""

    def __init__(self, kind: str, used: int, request_preview: str) -> None:
        self.kind = kind
        self.used = used
        if used:
            problem = f"has no more {kind!r} effects (all {used} recorded ones were replayed)"
        else:
            problem = f"recorded no {kind!r} effects"
        super().__init__(f"the cassette {problem}; the run asked for one: {request_preview}")


class ReplayedError(RecordingError):
    """Stands in for a recorded exception whose class cannot be rebuilt safely."""

    def __init__(self, type_name: str, module: str, message: str) -> None:
        self.type_name = type_name
        self.module = module
        self.original_message = message
        super().__init__(f"{module}.{type_name}: {message}")
