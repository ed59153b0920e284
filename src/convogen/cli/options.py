"""Typer options shared by the commands that talk to models."""

from __future__ import annotations

from typing import Annotated

import typer

from convogen.cli.models import (
    CONFIG_HELP,
    DEFAULT_CONFIG,
    FILTER_HELP,
    MODEL_HELP,
    SCRIPTED_HELP,
    ModelChoice,
)

ModelOption = Annotated[str | None, typer.Option("--model", help=MODEL_HELP)]
ConfigOption = Annotated[
    str | None,
    typer.Option("--config", metavar="PATH_OR_ENV", help=f"{CONFIG_HELP} [used: {DEFAULT_CONFIG}]"),
]
FilterOption = Annotated[
    list[str] | None, typer.Option("--filter", metavar="KEY=VALUE", help=FILTER_HELP)
]
ScriptedOption = Annotated[bool, typer.Option("--scripted", help=SCRIPTED_HELP)]


def model_choice(
    model: str | None, config: str | None, filters: list[str] | None, scripted: bool
) -> ModelChoice:
    """The ``ModelChoice`` of a command's options (``--model scripted`` means ``--scripted``)."""
    if model == "scripted" and not (config or filters):
        return ModelChoice(scripted=True)
    return ModelChoice(model, config, tuple(filters or ()), scripted)
