"""One error handler for every command: a known error becomes one line and exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperGroup

from convogen.errors import ConfigError, ConvogenError, ModelClientError
from convogen.llm.errors import ContextWindowExceededError

EXIT_ERROR = 2
DEBUG_KEY = "convogen.debug"
MAX_MESSAGE = 400
DEBUG_HINT = "(--debug shows the traceback)"
MODEL_HINT = (
    "check the config entry's base_url, api_key and the network, "
    "or use --model local (embedded) or --scripted"
)

T = TypeVar("T")


def _is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, ConnectionError):
        return not isinstance(exc, BrokenPipeError)  # our stdout closed, not the model's socket
    import httpx

    return isinstance(exc, httpx.TransportError)


def is_known(exc: BaseException) -> bool:
    """True for the errors shown as one line: convogen's own and failed model connections."""
    return isinstance(exc, ConvogenError) or _is_connection_error(exc)


def one_line(exc: BaseException) -> str:
    """``exc`` as one line: what is wrong and how to fix it."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 3] + "..."
    if isinstance(exc, (ConfigError, ContextWindowExceededError)):
        return f"error: {text} {DEBUG_HINT}"
    if isinstance(exc, ModelClientError) or _is_connection_error(exc):
        return f"error: the model could not be reached or failed: {text}; {MODEL_HINT}"
    return f"error: {type(exc).__name__}: {text} {DEBUG_HINT}"


def report(exc: BaseException) -> None:
    """Print ``exc`` as one line on standard error."""
    typer.echo(one_line(exc), err=True)


class ConvogenGroup(TyperGroup):
    """The root command group: turns known errors into one line and exit code 2."""

    def invoke(self, ctx: Any) -> Any:  # typer.Context: typer declares its vendored click type
        """Run the command; a known error exits 2 with one line (``--debug``: traceback)."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if not is_known(exc) or ctx.meta.get(DEBUG_KEY):
                raise
            report(exc)
            raise typer.Exit(EXIT_ERROR) from None


def run_guarded(function: Callable[[], T], debug: bool = False) -> T:
    """Call ``function``; a known error is reported as the CLI does (one line, exit 2)."""
    try:
        return function()
    except Exception as exc:
        if debug or not is_known(exc):
            raise
        report(exc)
        sys.exit(EXIT_ERROR)
