"""The ``convogen`` command line."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="convogen: multi-agent conversations, offline by default.", no_args_is_help=True
)


@app.command()
def demo(
    silent: bool = typer.Option(False, help="Hide the conversation, show only the result."),
) -> None:
    """Run the offline demo: an assistant writes Python, a user proxy executes it."""
    from convogen.demos import scripted_coding

    result = scripted_coding.run(silent=silent)
    scripted_coding.show_result(result)


@app.command()
def version() -> None:
    """Print the installed convogen version."""
    from convogen import __version__

    typer.echo(__version__)


def main() -> None:
    """Entry point of the ``convogen`` script."""
    app()
