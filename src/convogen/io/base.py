"""Classic ``autogen.io.base``: the input, output and IO stream protocols with their defaults."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable

from convogen.agents import io as _rooms_io

# One classic view per terminal stream, so repeated get_default() calls return the same object.
_views: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _classic_view(stream: Any) -> Any:
    """The terminal default seen as the classic ``IOConsole``; other streams as they are."""
    if type(stream) is not _rooms_io.ConsoleIO:
        return stream
    view = _views.get(stream)
    if view is None:
        from convogen.io.console import IOConsole

        view = _views[stream] = IOConsole()
    return view


@runtime_checkable
class OutputStream(Protocol):
    """Shows output."""

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        """Show ``objects`` separated by ``sep`` and followed by ``end``."""
        ...


@runtime_checkable
class InputStream(Protocol):
    """Reads input."""

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        """Ask with ``prompt`` and return the answer."""
        ...


@runtime_checkable
class IOStream(InputStream, OutputStream, Protocol):
    """Input and output, with the process-wide and per-context defaults agents use."""

    @staticmethod
    def set_global_default(stream: Any) -> None:
        """Make ``stream`` the process-wide default."""
        _rooms_io.set_default_io(stream)

    @staticmethod
    def get_global_default() -> Any:
        """The process-wide default stream."""
        return _classic_view(_rooms_io.get_global_io())

    @staticmethod
    def get_default() -> Any:
        """The stream in use here: the context default, else the process-wide one."""
        return _classic_view(_rooms_io.get_default_io())

    @staticmethod
    @contextmanager
    def set_default(stream: Any) -> Iterator[None]:
        """Use ``stream`` as the default in this context inside the ``with`` block."""
        with _rooms_io.context_io(stream):
            yield
