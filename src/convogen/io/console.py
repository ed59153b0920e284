"""Classic ``autogen.io.console``: the terminal stream."""

from __future__ import annotations

from convogen.agents.io import ConsoleIO
from convogen.io.base import IOStream


class IOConsole(ConsoleIO, IOStream):
    """The terminal: ``input()`` (``getpass`` for passwords) and rich-rendered output."""


__all__ = ["IOConsole"]
