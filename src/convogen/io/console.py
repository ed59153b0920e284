"""Classic ``autogen.io.console``: the terminal stream."""

from __future__ import annotations

import builtins
import getpass
from typing import Any

from convogen.agents.io import ConsoleIO
from convogen.errors import HumanInputError
from convogen.io.base import IOStream


class IOConsole(ConsoleIO, IOStream):
    """The terminal as 0.2 drives it: built-in ``print`` and ``input`` (``getpass`` for secrets)."""

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        """Print ``objects`` with the built-in ``print``."""
        builtins.print(*objects, end=end, sep=sep, flush=flush)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        """Read a line; a password is read without echo, asking ``Password: `` by default."""
        try:
            if password:
                return getpass.getpass(prompt if prompt else "Password: ")
            return builtins.input(prompt)
        except EOFError as exc:
            raise HumanInputError("standard input is closed; no human input available") from exc


__all__ = ["IOConsole"]
