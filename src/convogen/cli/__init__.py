"""The ``convogen`` command line: ``main`` is the console script; ``app`` the typer app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typer import Typer

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``convogen`` script."""
    from convogen.cli.commands import app

    app()


def __getattr__(name: str) -> Any:
    # The typer app is built on first use, so `convogen.cli.models` (used by the examples)
    # loads without the commands.
    if name == "app":
        from convogen.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    app: Typer
