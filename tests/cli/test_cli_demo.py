"""``convogen demo``: says whether the printed answer was right, suggests next steps, cleans up."""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from convogen.cli import app
from convogen.demos.main_job import NEXT_STEPS, judge
from convogen.llm.local.model_file import llama_cpp_available
from convogen.messages import Message
from convogen.results import ChatResult

runner = CliRunner(env={"COLUMNS": "200"})


def chat(*contents: str) -> ChatResult:
    history: list[Message] = [{"role": "user", "content": c} for c in contents]
    return ChatResult(chat_history=history)


def test_the_last_number_printed_by_successful_code_is_judged() -> None:
    result = chat("```python\nprint(55)\n```", "exitcode: 0 (execution succeeded)\nCode output: 55")
    verdict = judge(result, "55")
    assert verdict.correct
    assert verdict.describe() == "the program printed 55: right (expected 55)"


def test_a_wrong_printed_value_is_called_wrong() -> None:
    verdict = judge(chat("exitcode: 0 (execution succeeded)\nCode output: 30"), "55")
    assert not verdict.correct
    assert verdict.describe() == "the program printed 30: wrong (expected 55)"


def test_failed_runs_give_no_answer() -> None:
    verdict = judge(chat("exitcode: 1 (execution failed)\nCode output: 55"), "55")
    assert verdict.printed is None
    assert verdict.describe().startswith("no program ran successfully")


def test_the_scripted_demo_reports_a_right_answer_and_next_steps() -> None:
    result = runner.invoke(app, ["demo", "--scripted"])
    assert result.exit_code == 0, result.output
    assert "answer check: the program printed 15: right (expected 15)" in result.output
    for line in NEXT_STEPS:
        assert line in result.output


def test_silent_demo_prints_nothing() -> None:
    result = runner.invoke(app, ["demo", "--scripted", "--silent"])
    assert result.exit_code == 0
    assert result.output == ""


@pytest.fixture
def shared_temp() -> Iterator[Path]:
    # A TMPDIR the sandbox's user can traverse (pytest's tmp_path sits under a 0700 folder).
    folder = Path(tempfile.mkdtemp(prefix="convogen-demo-test-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_demo_leaves_no_temporary_folders(shared_temp: Path) -> None:
    env = {**os.environ, "TMPDIR": str(shared_temp)}
    done = subprocess.run(
        [sys.executable, "-m", "convogen", "demo", "--scripted", "--silent"],
        env=env,
        cwd=shared_temp,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert list(shared_temp.iterdir()) == []


def test_show_result_still_renders_the_usage_table() -> None:
    from convogen.demos.scripted_coding import run, show_result

    console = Console(record=True, width=200)
    show_result(run(silent=True), console)
    assert "termination_message" in console.export_text()


@pytest.mark.skipif(not llama_cpp_available(), reason="llama-cpp-python is not installed")
def test_the_embedded_model_demo_says_whether_its_answer_was_right() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    [check] = [line for line in result.output.splitlines() if line.startswith("answer check:")]
    assert check.endswith("(expected 55)")
    assert ": right (" in check or ": wrong (" in check or "no program ran" in check
