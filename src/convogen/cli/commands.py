"""The ``convogen`` command line (typer + rich): the root app and its small commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from convogen.cli.errors import DEBUG_KEY, ConvogenGroup
from convogen.cli.options import (
    ConfigOption,
    FilterOption,
    ModelOption,
    ScriptedOption,
    model_choice,
)
from convogen.cli.output import console, set_verbosity

app = typer.Typer(
    cls=ConvogenGroup,
    help="convogen: multi-agent conversations, offline by default.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from convogen.version import __version__

        typer.echo(f"convogen {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an error.")
    ] = False,
) -> None:
    """convogen: multi-agent conversations, offline by default."""
    context.meta[DEBUG_KEY] = debug
    set_verbosity(verbose, quiet)


@app.command()
def demo(
    silent: Annotated[bool, typer.Option(help="Print nothing; only run.")] = False,
    scripted: ScriptedOption = False,
    model: ModelOption = None,
    config: ConfigOption = None,
    filters: FilterOption = None,
) -> None:
    """Run the offline demo: an assistant writes Python, a user proxy runs it in the sandbox."""
    from convogen.demos.main_job import run_demo

    choice = model_choice(model, config, filters, scripted)
    run_demo(choice, console(), silent=silent)


@app.command()
def run(
    spec_file: Annotated[Path, typer.Argument(help="A team spec file (JSON).")],
    task: Annotated[str | None, typer.Option(help="The task; default: the spec's task.")] = None,
    scripted: ScriptedOption = False,
    model: ModelOption = None,
    config: ConfigOption = None,
    filters: FilterOption = None,
) -> None:
    """Run a team described in a spec file on a task (model options replace the spec's models)."""
    from convogen.cli.project import run_spec_file

    choice = model_choice(model, config, filters, scripted)
    if choice.scripted:
        raise typer.BadParameter("team specs have no scripted stand-in", param_hint="--scripted")
    run_spec_file(spec_file, task, choice, console())


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def example(
    context: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Example to run; omit to list them.")] = None,
) -> None:
    """List the examples, or run one by name (its options follow: --model, --config, ...)."""
    from convogen.cli.examples import list_examples, run_example

    if name is None:
        for item in list_examples():
            console().print(item)
        return
    run_example(name, list(context.args))


@app.command()
def replay(cassette: Annotated[Path, typer.Argument(help="A recorded cassette file.")]) -> None:
    """Show a recorded run: its messages, speaker choices, results and cost."""
    from convogen.state.recording import cli_replay

    raise typer.Exit(cli_replay(cassette, console()))


@app.command()
def diff(
    first: Annotated[Path, typer.Argument(help="A cassette or a JSON transcript.")],
    second: Annotated[Path, typer.Argument(help="Another one to compare with.")],
) -> None:
    """Compare two transcripts message by message (exit code 1 when they differ)."""
    from convogen.state.recording import cli_diff

    raise typer.Exit(cli_diff(first, second, console()))


@app.command("serve-model")
def serve_model_command(
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8000,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    model_path: Annotated[
        Path | None, typer.Option(help="GGUF chat model; default: embedded SmolLM2-135M-Instruct.")
    ] = None,
    n_ctx: Annotated[int, typer.Option(help="Context size in tokens.")] = 2048,
    n_threads: Annotated[
        int | None, typer.Option(help="CPU threads; default: half the cores.")
    ] = None,
) -> None:
    """Serve the embedded local model as an OpenAI-compatible API."""
    from convogen.serving import serve_model

    serve_model(
        host=host,
        port=port,
        model_path=str(model_path) if model_path else None,
        n_ctx=n_ctx,
        n_threads=n_threads,
        echo=typer.echo,
    )


@app.command()
def studio(
    host: Annotated[
        str, typer.Option(help="Address to bind; non-loopback needs --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8081,
    data_dir: Annotated[Path, typer.Option(help="Specs, runs, logs and files.")] = Path(
        "studio-data"
    ),
    token: Annotated[
        str | None,
        typer.Option(envvar="CONVOGEN_STUDIO_TOKEN", help="Require this bearer token."),
    ] = None,
) -> None:
    """Serve the studio: build teams, run them, watch and answer them in a web page."""
    from convogen.errors import ConfigError

    try:
        from convogen.studio import serve
    except ImportError as exc:
        raise ConfigError(
            "studio", None, f"needs its extra ({exc}): pip install 'convogen[studio]'"
        ) from exc
    serve(host=host, port=port, data_dir=data_dir, token=token)


@app.command()
def version() -> None:
    """Print the installed convogen version."""
    from convogen.version import __version__

    typer.echo(__version__)


def _register_subcommands() -> None:
    from convogen.cli.logs import logs
    from convogen.cli.math_eval import math_eval
    from convogen.cli.project import init, spec

    app.add_typer(logs, name="logs")
    app.add_typer(spec, name="spec")
    app.command("init")(init)
    app.command("math-eval")(math_eval)


_register_subcommands()
