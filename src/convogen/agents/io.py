"""Where human input comes from and where conversation output goes: pluggable IO streams."""

from __future__ import annotations

import contextlib
import getpass
import io as _io
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from rich.console import Console

from convogen.errors import HumanInputError


@runtime_checkable
class IOStream(Protocol):
    """Reads a person's input and shows conversation output."""

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        """Show objects (plain strings, rich markup or rich renderables)."""
        ...

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        """Ask the person and return what they typed (without the newline)."""
        ...


class ConsoleIO:
    """The terminal: rich-rendered output; ``input()`` (``getpass`` for passwords) for replies."""

    def __init__(self, console: Console | None = None) -> None:
        self._console = console

    @property
    def console(self) -> Console:
        """The rich console, created on first output (rich loads only when something prints)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False, soft_wrap=True)
        return self._console

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        self.console.print(*objects, sep=sep, end=end)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        try:
            if password:
                return getpass.getpass(prompt)
            return input(prompt)
        except EOFError as exc:
            raise HumanInputError("standard input is closed; no human input available") from exc


class ScriptedIO:
    """Programmatic IO for tests and automation: answers from a list, output kept as text."""

    def __init__(self, answers: Iterable[str] = ()) -> None:
        self._answers: list[str] = list(answers)
        self.prompts: list[str] = []
        self._buffer = _io.StringIO()
        from rich.console import Console

        self._console = Console(file=self._buffer, width=100, color_system=None, soft_wrap=True)

    def add_answers(self, *answers: str) -> None:
        """Queue more answers."""
        self._answers.extend(answers)

    @property
    def remaining(self) -> int:
        """How many queued answers are left."""
        return len(self._answers)

    @property
    def output(self) -> str:
        """Everything printed so far, as plain text."""
        return self._buffer.getvalue()

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        self._console.print(*objects, sep=sep, end=end)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        self.prompts.append(prompt)
        if not self._answers:
            raise HumanInputError(f"scripted input exhausted; the prompt was: {prompt!r}")
        return self._answers.pop(0)


_default: IOStream = ConsoleIO()
# A default for the current context only (the classic ``IOStream.set_default``).
_context_default: ContextVar[IOStream | None] = ContextVar("convogen_io", default=None)


def get_default_io() -> IOStream:
    """The IO stream agents use when none is given."""
    return _context_default.get() or _default


def get_global_io() -> IOStream:
    """The process-wide default IO stream, ignoring any context default."""
    return _default


@contextlib.contextmanager
def context_io(stream: IOStream) -> Iterator[IOStream]:
    """Use ``stream`` as the default in this context (and tasks it starts) inside the block."""
    token = _context_default.set(stream)
    try:
        yield stream
    finally:
        _context_default.reset(token)


def set_default_io(stream: IOStream) -> None:
    """Replace the process-wide default IO stream."""
    global _default
    _default = stream


@contextlib.contextmanager
def default_io(stream: IOStream) -> Iterator[IOStream]:
    """Use ``stream`` as the default IO stream inside the ``with`` block."""
    previous = _default
    set_default_io(stream)
    try:
        yield stream
    finally:
        set_default_io(previous)
