"""Every command reports a known error as one line on stderr and exits 2."""

import json
from pathlib import Path

from typer.testing import CliRunner

from convogen import AssistantAgent, UserProxyAgent
from convogen.cli import app
from convogen.errors import ConfigError
from convogen.llm.scripted import scripted_llm_config
from convogen.state.logging import start_logging, stop_logging
from convogen.version import __version__

runner = CliRunner(env={"COLUMNS": "200"})


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def logged_chat_db(tmp_path: Path) -> Path:
    db = tmp_path / "logs.db"
    bot = AssistantAgent("bot", llm_config=scripted_llm_config(["done"]), silent=True)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    start_logging(str(db))
    try:
        user.initiate_chat(bot, message="hello", max_turns=1, silent=True)
    finally:
        stop_logging()
    return db


def test_logs_list_without_a_database_is_one_line_naming_the_path(tmp_path: Path) -> None:
    result = runner.invoke(app, ["logs", "list", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert lines(result.output) == [
        f"error: invalid --db='{tmp_path / 'none.db'}': no runtime-log database there; pass "
        "--db PATH, or log runs first with convogen.runtime_logging.start() "
        "(--debug shows the traceback)"
    ]


def test_logs_show_of_an_unknown_chat_is_one_line(tmp_path: Path) -> None:
    db = logged_chat_db(tmp_path)
    result = runner.invoke(app, ["logs", "show", "99", "--db", str(db)])
    assert result.exit_code == 2
    [line] = lines(result.output)
    assert line.startswith("error: invalid chat_id='99': no such chat in the log")


def test_logs_export_refuses_a_format_outside_the_choice(tmp_path: Path) -> None:
    db = logged_chat_db(tmp_path)
    result = runner.invoke(app, ["logs", "export", "2", "--format", "xml", "--db", str(db)])
    assert result.exit_code == 2
    assert "'xml' is not one of 'markdown', 'json'" in result.output


def test_run_against_an_unreachable_base_url_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "OAI_CONFIG_LIST"
    entry = {"model": "gpt-4o-mini", "base_url": "http://127.0.0.1:9/v1", "api_key": "sk-x"}
    config.write_text(json.dumps([{**entry, "max_retries": 0}]))
    runner.invoke(app, ["init", str(tmp_path / "proj")])
    spec = tmp_path / "proj" / "team_local.json"
    result = runner.invoke(app, ["-q", "run", str(spec), "--config", str(config)])
    assert result.exit_code == 2
    [line] = lines(result.output)
    assert line.startswith("error: the model could not be reached or failed: ")
    assert line.endswith("or use --model local (embedded) or --scripted")


def test_a_missing_config_list_names_the_variable_and_the_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["math-eval", "--config", "NO_SUCH_CONFIG_LIST"])
    assert result.exit_code == 2
    [line] = lines(result.output)
    assert "no environment variable NO_SUCH_CONFIG_LIST and no file" in line


def test_debug_lets_the_traceback_through(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--debug", "logs", "list", "--db", str(tmp_path / "x.db")])
    assert isinstance(result.exception, ConfigError)
    assert result.exit_code == 1


def test_short_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["-h"])
    assert result.exit_code == 0
    for command in ("demo", "run", "example", "math-eval", "init", "spec", "logs"):
        assert command in result.output


def test_version_option_prints_the_single_source_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"convogen {__version__}"


def test_verbose_and_quiet_exclude_each_other() -> None:
    result = runner.invoke(app, ["--verbose", "--quiet", "version"])
    assert result.exit_code == 2
    assert "exclude each other" in result.output


def test_quiet_hides_normal_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--quiet", "init", str(tmp_path / "p")])
    assert result.exit_code == 0
    assert result.output == ""
    assert (tmp_path / "p" / "team_local.json").is_file()
