"""The ``convogen`` command line (typer + rich)."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    help="convogen: multi-agent conversations, offline by default.", no_args_is_help=True
)


def console() -> Console:
    """A console made per command, so it sees the terminal (and COLUMNS) of that call."""
    return Console()


EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


@app.command()
def demo(
    silent: Annotated[bool, typer.Option(help="Hide the conversation, show the result.")] = False,
    scripted: Annotated[
        bool, typer.Option(help="Use a scripted model instead of the embedded SmolLM2.")
    ] = False,
) -> None:
    """Run the offline demo: an assistant writes Python, a user proxy runs it in the sandbox."""
    from convogen.demos import local_coding, scripted_coding

    result = scripted_coding.run(silent=silent) if scripted else local_coding.run(silent=silent)
    scripted_coding.show_result(result, console())


@app.command()
def run(
    spec_file: Annotated[Path, typer.Argument(help="A team spec file (JSON).")],
    task: Annotated[str | None, typer.Option(help="The task; default: the spec's task.")] = None,
) -> None:
    """Run a team described in a spec file on a task."""
    from convogen._sync import run_sync
    from convogen.demos.scripted_coding import show_result
    from convogen.errors import ConfigError
    from convogen.specs import load_spec, run_team

    try:
        spec = load_spec(spec_file)
        result = run_sync(run_team(spec, task))
    except ConfigError as exc:
        console().print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    show_result(result, console())


@app.command()
def example(
    name: Annotated[str | None, typer.Argument(help="Example to run; omit to list them.")] = None,
) -> None:
    """List the examples, or run one by name."""
    available = sorted(p.stem for p in EXAMPLES_DIR.glob("*.py")) if EXAMPLES_DIR.is_dir() else []
    if name is None:
        for item in available:
            console().print(item)
        return
    if name not in available:
        console().print(f"[red]unknown example {name!r}[/]; available: {', '.join(available)}")
        raise typer.Exit(2)
    runpy.run_path(str(EXAMPLES_DIR / f"{name}.py"), run_name="__main__")


@app.command("math-eval")
def math_eval(
    problems: Annotated[
        Path | None, typer.Argument(help="JSONL of problem/answer; omit: demo set.")
    ] = None,
    model: Annotated[str, typer.Option(help="'scripted' (offline) or a model name.")] = "scripted",
    limit: Annotated[int | None, typer.Option(help="Evaluate only the first N problems.")] = None,
) -> None:
    """Evaluate math problem solving: accuracy, cost and turns per problem."""
    from convogen.apps.math import cli_math_eval

    raise typer.Exit(cli_math_eval(problems, console(), model=model, limit=limit))


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


logs = typer.Typer(help="Runtime logs: list, show, export chats and usage.", no_args_is_help=True)
app.add_typer(logs, name="logs")
DEFAULT_LOG_DB = "convogen_logs.db"


@logs.command("list")
def logs_list(
    db: Annotated[Path, typer.Option(help="Log database.")] = Path(DEFAULT_LOG_DB),
) -> None:
    """List logged chats with their stop reason and cost."""
    from convogen.state.logging.cli import cli_list

    cli_list(str(db), console())


@logs.command("show")
def logs_show(
    chat: Annotated[str, typer.Argument(help="Chat id or session:chat reference.")],
    db: Annotated[Path, typer.Option(help="Log database.")] = Path(DEFAULT_LOG_DB),
) -> None:
    """Show one chat: messages, why it stopped, what it cost."""
    from convogen.state.logging.cli import cli_show

    cli_show(str(db), chat, console())


@logs.command("export")
def logs_export(
    chat: Annotated[str, typer.Argument(help="Chat id or session:chat reference.")],
    fmt: Annotated[str, typer.Option("--format", help="markdown or json")] = "markdown",
    db: Annotated[Path, typer.Option(help="Log database.")] = Path(DEFAULT_LOG_DB),
) -> None:
    """Export one chat as Markdown or JSON (to standard output)."""
    from convogen.state.logging.cli import cli_export

    typer.echo(cli_export(str(db), chat, fmt))


@logs.command("usage")
def logs_usage(
    db: Annotated[Path, typer.Option(help="Log database.")] = Path(DEFAULT_LOG_DB),
) -> None:
    """Token usage and cost per model."""
    from convogen.state.logging.cli import cli_usage

    cli_usage(str(db), console())


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
    from convogen.errors import ConfigError
    from convogen.serving import serve_model

    try:
        serve_model(
            host=host,
            port=port,
            model_path=str(model_path) if model_path else None,
            n_ctx=n_ctx,
            n_threads=n_threads,
            echo=typer.echo,
        )
    except ConfigError as exc:
        console().print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


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
        console().print("[red]error:[/] the studio needs: pip install 'convogen[studio]'")
        raise typer.Exit(2) from exc
    try:
        serve(host=host, port=port, data_dir=data_dir, token=token)
    except ConfigError as exc:
        console().print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc


@app.command()
def version() -> None:
    """Print the installed convogen version."""
    from convogen import __version__

    typer.echo(__version__)


def main() -> None:
    """Entry point of the ``convogen`` script."""
    app()
