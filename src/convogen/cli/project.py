"""``convogen init``, ``spec schema`` and ``run``: team specs on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from convogen.cli.models import ModelChoice
from convogen.cli.output import console, is_quiet
from convogen.errors import ConfigError

if TYPE_CHECKING:
    from convogen.specs.models import TeamSpec

spec = typer.Typer(help="Team spec files: their JSON schema.", no_args_is_help=True)

TOOL_MODULE = '''"""Tools for the starter team: typed functions named in the spec's "tools"."""


def word_count(text: str) -> int:
    """Number of words in the text."""
    return len(text.split())
'''

PROJECT_README = """# A convogen starter project

- `team_local.json`: a two-agent team on the embedded model (offline, no API key):
  `convogen run team_local.json`
- `team_config_list.json`: the same team on a model from a config list; the API key is read
  from the environment variable named by `api_key_env`:
  `OPENAI_API_KEY=... convogen run team_config_list.json`
  or with your own config list: `convogen run team_config_list.json --config OAI_CONFIG_LIST`
- `tools.py`: the functions the config-list team's assistant may call (`"tools"` in the spec).

`convogen spec schema` prints the JSON schema of these files.
"""


def _team(name: str, llm_config: dict[str, Any] | None, tools: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "task": "Count the words in 'the quick brown fox jumps over the lazy dog'.",
        "max_turns": 4,
        "agents": [
            {"name": "user", "kind": "user_proxy", "human_input_mode": "NEVER"},
            {
                "name": "assistant",
                "system_message": "You are a helpful assistant. Say TERMINATE when done.",
                "llm_config": llm_config,
                "tools": tools,
            },
        ],
        "initiator": "user",
    }


def starter_files() -> dict[str, str]:
    """The starter project's files by name (both specs are validated before writing)."""
    from convogen.specs.models import parse_spec

    config_list = {"config_list": [{"model": "gpt-4o-mini", "api_key_env": "OPENAI_API_KEY"}]}
    teams = {
        "team_local.json": _team("starter-local", None, []),
        "team_config_list.json": _team("starter-config-list", config_list, ["tools:word_count"]),
    }
    files = {"tools.py": TOOL_MODULE, "README.md": PROJECT_README}
    for name, team in teams.items():
        parse_spec(team, source=name)
        files[name] = json.dumps(team, indent=2) + "\n"
    return files


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create or fill.")] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite existing files.")] = False,
) -> None:
    """Write a starter project: team specs (embedded model, config list) and a tool module."""
    files = starter_files()
    existing = [name for name in files if (directory / name).exists()]
    if existing and not force:
        raise ConfigError("DIR", str(directory), f"already holds {existing}; pass --force")
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    out = console()
    out.print(f"wrote {', '.join(sorted(files))} in {directory}")
    out.print(f"next: cd {directory} && convogen run team_local.json")


@spec.command("schema")
def schema() -> None:
    """Print the JSON schema of team spec files."""
    from convogen.specs.models import TeamSpec

    typer.echo(json.dumps(TeamSpec.model_json_schema(), indent=2))


def run_spec_file(path: Path, task: str | None, choice: ModelChoice, out: Console) -> None:
    """Run the team of a spec file; model options, when given, replace its agents' models."""
    from convogen._sync import run_sync
    from convogen.demos.scripted_coding import show_result
    from convogen.specs import build_team, load_spec

    team = load_spec(path)
    task = task or team.task
    if not task:
        raise ConfigError("--task", task, "give a task (the spec has none)")
    if not choice.uses_default:
        team = with_model(team, choice.llm_config())
    folder = str(path.resolve().parent)
    if any(agent.tools for agent in team.agents) and folder not in sys.path:
        sys.path.insert(0, folder)  # tool references resolve next to the spec file
    show_result(run_sync(build_team(team).a_run(task, silent=is_quiet())), out)


def with_model(team: TeamSpec, llm_config: dict[str, Any]) -> TeamSpec:
    """A copy of ``team`` whose model-backed agents (and manager) use ``llm_config``."""
    agents = [
        agent
        if agent.llm_config is False or (agent.kind == "user_proxy" and agent.llm_config is None)
        else agent.model_copy(update={"llm_config": llm_config})
        for agent in team.agents
    ]
    update: dict[str, Any] = {"agents": agents}
    if team.manager_llm_config is not False:
        update["manager_llm_config"] = llm_config
    return team.model_copy(update=update)
