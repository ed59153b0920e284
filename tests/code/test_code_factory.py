"""create_executor: AutoGen-0.2-style code_execution_config dicts."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from code_test_support import sandbox_problem

from convogen.code import (
    CodeBlock,
    CodeResult,
    LocalCommandLineCodeExecutor,
    SandboxCodeExecutor,
    create_executor,
)
from convogen.errors import ConfigError


class RecordingExecutor:
    """A hand-made executor instance."""

    def __init__(self, work_dir: Path) -> None:
        self._work_dir = work_dir
        self.ran: list[CodeBlock] = []

    @property
    def work_dir(self) -> Path:
        return self._work_dir

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        self.ran.extend(code_blocks)
        return CodeResult(0, "ok")

    def restart(self) -> None:
        pass


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_is_the_sandbox_in_coding(in_tmp: Path) -> None:
    if sandbox_problem() is not None:
        pytest.skip(f"bubblewrap sandbox unavailable: {sandbox_problem()}")
    executor = create_executor({"last_n_messages": 3})
    assert isinstance(executor, SandboxCodeExecutor)
    assert executor.work_dir == in_tmp / "coding"
    assert executor.timeout == 60
    executor.close()


def test_explicit_sandbox_with_options(in_tmp: Path) -> None:
    if sandbox_problem() is not None:
        pytest.skip(f"bubblewrap sandbox unavailable: {sandbox_problem()}")
    config = {"executor": "sandbox", "work_dir": "w", "timeout": 7, "use_docker": False}
    executor = create_executor(config)
    assert isinstance(executor, SandboxCodeExecutor)
    assert (executor.work_dir, executor.timeout) == (in_tmp / "w", 7)
    executor.close()


@pytest.mark.parametrize(
    "config",
    [{"use_unsafe_local": True}, {"executor": "local"}, {"executor": "local", "use_docker": None}],
)
def test_local_only_by_name(
    in_tmp: Path, config: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="convogen.code"):
        executor = create_executor({**config, "timeout": 3})
    assert isinstance(executor, LocalCommandLineCodeExecutor)
    assert executor.timeout == 3
    assert any("directly on this host" in r.getMessage() for r in caplog.records)


def test_jupyter_by_name(in_tmp: Path) -> None:
    pytest.importorskip("ipykernel")
    from convogen.code.jupyter import JupyterCodeExecutor

    executor = create_executor({"executor": "jupyter", "work_dir": "nb"})
    assert isinstance(executor, JupyterCodeExecutor)
    try:
        assert executor.work_dir == in_tmp / "nb"
    finally:
        executor.stop()


def test_executor_instance_is_used_as_is(tmp_path: Path) -> None:
    mine = RecordingExecutor(tmp_path)
    assert create_executor({"executor": mine, "last_n_messages": "auto"}) is mine


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"workdir": "x"}, "code_execution_config['workdir']"),
        ({"timeout": "60"}, "timeout"),
        ({"timeout": -5}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"work_dir": 5}, "work_dir"),
        ({"work_dir": ""}, "work_dir"),
        ({"use_docker": 3}, "use_docker"),
        ({"use_docker": []}, "use_docker"),
        ({"executor": "kubernetes"}, "executor"),
        ({"executor": 42}, "executor"),
        ({"use_unsafe_local": "yes"}, "use_unsafe_local"),
        ({"last_n_messages": -1}, "last_n_messages"),
        ({"last_n_messages": "all"}, "last_n_messages"),
        ({"use_unsafe_local": True, "use_docker": True}, "use_unsafe_local"),
        ({"executor": "sandbox", "use_docker": "img"}, "use_docker"),
        ({"executor": "jupyter", "use_unsafe_local": True}, "use_unsafe_local"),
    ],
)
def test_bad_configs_name_key_and_value(config: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as info:
        create_executor(config)
    assert info.value.field == field
    assert field in str(info.value)


def test_instance_cannot_be_combined_with_work_dir(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="work_dir"):
        create_executor({"executor": RecordingExecutor(tmp_path), "work_dir": "x"})


def test_non_dict_config_is_rejected() -> None:
    with pytest.raises(ConfigError, match="code_execution_config"):
        create_executor(["work_dir"])  # type: ignore[arg-type]


def test_classic_commandline_local_name_takes_its_arguments(tmp_path: Path) -> None:
    executor = create_executor(
        {"executor": "commandline-local", "commandline-local": {"work_dir": tmp_path, "timeout": 5}}
    )
    assert isinstance(executor, LocalCommandLineCodeExecutor)
    assert (executor.work_dir, executor.timeout) == (tmp_path.resolve(), 5)


def test_classic_name_cannot_be_combined_with_work_dir(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="work_dir"):
        create_executor({"executor": "commandline-local", "work_dir": str(tmp_path)})


def test_classic_arguments_must_be_a_dict() -> None:
    with pytest.raises(ConfigError, match="commandline-local"):
        create_executor({"executor": "commandline-local", "commandline-local": "fast"})
