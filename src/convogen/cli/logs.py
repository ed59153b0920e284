"""``convogen logs ...``: list, show, export chats and usage from a runtime-log database."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from convogen.cli.output import console
from convogen.errors import ConfigError

logs = typer.Typer(help="Runtime logs: list, show, export chats and usage.", no_args_is_help=True)
DEFAULT_LOG_DB = "convogen_logs.db"

DbOption = Annotated[Path, typer.Option(help="Log database.")]


def _existing(db: Path) -> str:
    if not db.is_file():
        raise ConfigError(
            "--db",
            str(db),
            "no runtime-log database there; pass --db PATH, or log runs first with "
            "convogen.runtime_logging.start()",
        )
    return str(db)


class ExportFormat(StrEnum):
    """The formats ``logs export`` writes."""

    markdown = "markdown"
    json = "json"


@logs.command("list")
def logs_list(db: DbOption = Path(DEFAULT_LOG_DB)) -> None:
    """List logged chats with their stop reason and cost."""
    from convogen.state.logging.cli import cli_list

    cli_list(_existing(db), console())


@logs.command("show")
def logs_show(
    chat: Annotated[str, typer.Argument(help="Chat id or session:chat reference.")],
    db: DbOption = Path(DEFAULT_LOG_DB),
) -> None:
    """Show one chat: messages, why it stopped, what it cost."""
    from convogen.state.logging.cli import cli_show

    cli_show(_existing(db), chat, console())


@logs.command("export")
def logs_export(
    chat: Annotated[str, typer.Argument(help="Chat id or session:chat reference.")],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", case_sensitive=False, help="Output format.")
    ] = ExportFormat.markdown,
    db: DbOption = Path(DEFAULT_LOG_DB),
) -> None:
    """Export one chat as Markdown or JSON (to standard output)."""
    from convogen.state.logging.cli import cli_export

    typer.echo(cli_export(_existing(db), chat, fmt.value))


@logs.command("usage")
def logs_usage(db: DbOption = Path(DEFAULT_LOG_DB)) -> None:
    """Token usage and cost per model."""
    from convogen.state.logging.cli import cli_usage

    cli_usage(_existing(db), console())
