"""``convogen math-eval``: grade a model on MATH-format problems, resumably, on any model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from convogen.cli.models import ModelChoice
from convogen.cli.options import (
    ConfigOption,
    FilterOption,
    ModelOption,
    ScriptedOption,
    model_choice,
)
from convogen.cli.output import console
from convogen.errors import ConfigError, ModelClientError


def math_eval(
    problems: Annotated[
        Path | None,
        typer.Argument(help="MATH-format .json/.jsonl file or folder; omit: the bundled sample."),
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option(help="JSONL of graded results; an existing one is resumed."),
    ] = None,
    scripted: ScriptedOption = False,
    model: ModelOption = None,
    config: ConfigOption = None,
    filters: FilterOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N problems.")] = None,
    timeout: Annotated[int, typer.Option(min=1, help="Seconds per code run.")] = 60,
    max_replies: Annotated[
        int | None, typer.Option(min=1, help="Most replies of the proxy per problem.")
    ] = None,
) -> None:
    """Evaluate math problem solving: accuracy by level and type, with cost; resumable."""
    from convogen.apps.math.evaluation import (
        SAMPLE_PROBLEMS,
        load_math_problems,
        run_math_evaluation,
    )

    choice = model_choice(model, config, filters, scripted)
    llm_config = _llm_config(choice)
    records = load_math_problems(problems or SAMPLE_PROBLEMS)[:limit]
    target = results or Path("math_eval_results.jsonl")
    out = console()
    report = run_math_evaluation(
        records, llm_config, target, console=out, timeout=timeout, max_replies=max_replies
    )
    if report.resumed:
        out.print(f"resumed {target}: {report.resumed} problems were graded by an earlier run")
    for table in report.tables():
        out.print(table)
    out.print(f"results: {target}")
    if report.results and len(report.errors) == len(report.results):
        _fail(report.errors[0].error or "unknown error", len(report.results))


def _llm_config(choice: ModelChoice) -> dict[str, Any]:
    from convogen.apps.math.evaluate import demo_llm_config

    return choice.pick(demo_llm_config())


def _fail(first_error: str, count: int) -> None:
    message = f"every one of the {count} problems failed; the first with {first_error}"
    if first_error.startswith("ConfigError"):
        raise ConfigError("model", None, message)
    raise ModelClientError(message)
