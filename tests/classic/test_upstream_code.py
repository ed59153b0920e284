"""Classic code helpers and the local executor behave as AutoGen 0.2's upstream tests expect."""

from __future__ import annotations

import subprocess
import venv
from pathlib import Path
from unittest.mock import MagicMock

import pytest

from convogen.code_utils import get_powershell_command
from convogen.coding import MarkdownCodeExtractor
from convogen.coding.base import CodeBlock
from convogen.coding.local_commandline_code_executor import LocalCommandLineCodeExecutor


def _run_answers(monkeypatch: pytest.MonkeyPatch, *effects: object) -> MagicMock:
    run = MagicMock(side_effect=list(effects))
    monkeypatch.setattr(subprocess, "run", run)
    return run


def test_powershell_is_chosen_when_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    _run_answers(monkeypatch, MagicMock(returncode=0))
    assert get_powershell_command() == "powershell"


def test_pwsh_is_chosen_when_powershell_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    _run_answers(monkeypatch, FileNotFoundError(), MagicMock(returncode=0))
    assert get_powershell_command() == "pwsh"


def test_no_powershell_at_all_is_file_not_found(monkeypatch: pytest.MonkeyPatch) -> None:
    _run_answers(monkeypatch, FileNotFoundError(), FileNotFoundError())
    with pytest.raises(FileNotFoundError, match="powershell nor pwsh"):
        get_powershell_command()


def test_powershell_without_permission_is_a_permission_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _run_answers(monkeypatch, PermissionError(), FileNotFoundError())
    with pytest.raises(PermissionError, match="No permission"):
        get_powershell_command()


def test_markdown_extractor_finds_no_block_in_plain_text() -> None:
    assert MarkdownCodeExtractor().extract_code_blocks("just words, no fence") == []


def test_local_executor_keeps_the_work_dir_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert str(LocalCommandLineCodeExecutor(work_dir=".").work_dir) == "."


def test_local_executor_restart_warns_that_nothing_happens(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path)
    with pytest.warns(UserWarning, match="No action is taken"):
        executor.restart()


def test_a_venv_given_by_a_relative_path_runs_its_own_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    builder = venv.EnvBuilder(with_pip=False)
    builder.create("work/.venv")
    context = builder.ensure_directories("work/.venv")
    executor = LocalCommandLineCodeExecutor(work_dir="work", virtual_env_context=context)
    code = "import sys; print(sys.prefix != sys.base_prefix)"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="python")])
    assert (result.exit_code, result.output.strip()) == (0, "True")


def test_a_work_dir_under_a_missing_directory_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="parent directory"):
        LocalCommandLineCodeExecutor(work_dir=tmp_path / "missing" / "work")


def test_create_parents_makes_the_whole_work_dir_path(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path / "a" / "b", create_parents=True)
    assert executor.work_dir.is_dir()
