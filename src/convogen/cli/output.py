"""The console of one command, honouring ``--quiet`` and ``--verbose``."""

from __future__ import annotations

import logging
from contextvars import ContextVar

import typer
from rich.console import Console

_quiet: ContextVar[bool] = ContextVar("convogen_cli_quiet", default=False)


def console() -> Console:
    """A console made per command, so it sees the terminal (and COLUMNS) of that call."""
    return Console(quiet=_quiet.get())


def is_quiet() -> bool:
    """True under ``--quiet``: commands also keep conversations off the console."""
    return _quiet.get()


def set_verbosity(verbose: bool, quiet: bool) -> None:
    """``--verbose`` logs convogen's INFO records; ``--quiet`` prints only errors."""
    if verbose and quiet:
        raise typer.BadParameter("--verbose and --quiet exclude each other", param_hint="--quiet")
    _quiet.set(quiet)
    if verbose or quiet:
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
        level = logging.INFO if verbose else logging.ERROR
        logging.getLogger("convogen").setLevel(level)
