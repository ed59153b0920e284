"""The examples ship inside the package and run on any model: scripted, config list, embedded."""

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from convogen.apps.math.evaluate import DEMO_PROGRAMS
from convogen.apps.math.solver import scripted_math_solver
from convogen.cli import app
from convogen.cli.examples import list_examples
from convogen.cli.models import ModelChoice
from convogen.examples import app_math, groupchat_product_team
from convogen.llm.local.model_file import llama_cpp_available
from convogen.llm.test_server import OpenAICompatibleTestServer

runner = CliRunner(env={"COLUMNS": "200"})
SHIPPED = {
    "app_blog_team",
    "app_chess",
    "app_math",
    "app_optiguide",
    "app_retrieval",
    "app_textworld",
    "dynamic_groupchat",
    "groupchat_product_team",
}


def test_the_examples_are_package_modules() -> None:
    assert set(list_examples()) == SHIPPED


def test_convogen_example_lists_the_shipped_examples() -> None:
    result = runner.invoke(app, ["example"])
    assert result.exit_code == 0
    assert set(result.output.split()) == SHIPPED


def test_an_example_runs_through_the_cli_with_scripted_models() -> None:
    result = runner.invoke(app, ["example", "dynamic_groupchat", "--scripted", "--silent"])
    assert result.exit_code == 0, result.output
    assert "238 m higher than K2" in result.output


def test_an_example_with_a_missing_config_list_fails_with_one_line() -> None:
    result = runner.invoke(app, ["example", "app_math", "--config", "NO_SUCH_LIST", "--silent"])
    assert result.exit_code == 2
    [line] = [x for x in result.output.splitlines() if x.strip()]
    assert line.startswith("error: invalid env_or_file='NO_SUCH_LIST'")


def test_an_unknown_example_is_refused_with_the_list() -> None:
    result = runner.invoke(app, ["example", "nope"])
    assert result.exit_code == 2
    assert "available: app_blog_team" in result.output


def config_file(tmp_path: Path, server: OpenAICompatibleTestServer) -> str:
    path = tmp_path / "OAI_CONFIG_LIST"
    path.write_text(json.dumps([{"model": "gpt-4o", "base_url": server.base_url, "api_key": "t"}]))
    return str(path)


def test_the_math_example_runs_on_a_config_list_model(tmp_path: Path) -> None:
    solver = scripted_math_solver(DEMO_PROGRAMS)

    def reply(body: dict[str, Any]) -> str:
        return solver(body["messages"])

    with OpenAICompatibleTestServer(reply) as server:
        choice = ModelChoice(config=config_file(tmp_path, server))
        report = app_math.main(silent=True, work_dir=str(tmp_path), model=choice)
    assert (report.correct, report.total) == (3, 4)
    assert server.request_count > 0


def test_the_group_chat_example_sends_every_agent_to_the_chosen_model(tmp_path: Path) -> None:
    with OpenAICompatibleTestServer(lambda body: "Done. TERMINATE") as server:
        choice = ModelChoice(config=config_file(tmp_path, server))
        result = groupchat_product_team.main(silent=True, model=choice)
    assert server.request_count > 0
    assert "Done." in result.summary


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_example_runs_on_a_config_list_model(name: str, tmp_path: Path) -> None:
    example = importlib.import_module(f"convogen.examples.{name}")
    with OpenAICompatibleTestServer(lambda body: "I am done. TERMINATE") as server:
        example.main(silent=True, model=ModelChoice(config=config_file(tmp_path, server)))
    assert server.request_count > 0


@pytest.mark.skipif(not llama_cpp_available(), reason="llama-cpp-python is not installed")
def test_the_group_chat_example_runs_on_the_embedded_model() -> None:
    result = runner.invoke(
        app, ["example", "groupchat_product_team", "--model", "local", "--silent"]
    )
    assert result.exit_code == 0, result.output


def test_examples_are_found_from_an_installed_copy_outside_the_source_tree(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    import convogen

    site = tmp_path / "site-packages"
    package = Path(convogen.__file__).parent
    shutil.copytree(package, site / "convogen", ignore=shutil.ignore_patterns("__pycache__"))
    listing = subprocess.run(
        [sys.executable, "-m", "convogen", "example"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert set(listing.stdout.split()) == SHIPPED
