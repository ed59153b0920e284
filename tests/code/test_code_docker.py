"""The Docker executor: a clear error without an engine, real runs only where one answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from convogen.code import CodeBlock, create_executor
from convogen.code.docker import DockerCommandLineCodeExecutor, docker_problem
from convogen.errors import CodeExecutionError

PROBLEM = docker_problem()


@pytest.mark.skipif(PROBLEM is not None, reason=f"no Docker engine reachable: {PROBLEM}")
def test_runs_code_in_a_container(tmp_path: Path) -> None:
    with DockerCommandLineCodeExecutor(timeout=30, work_dir=tmp_path) as executor:
        result = executor.execute_code_blocks([CodeBlock("print(6 * 7)", "python")])
    assert (result.exit_code, result.output) == (0, "42\n")


@pytest.mark.skipif(PROBLEM is None, reason="a Docker engine is reachable here")
def test_constructor_explains_missing_engine(tmp_path: Path) -> None:
    with pytest.raises(CodeExecutionError) as info:
        DockerCommandLineCodeExecutor(work_dir=tmp_path / "work")
    message = str(info.value)
    assert "Docker" in message and "sandbox" in message
    assert not (tmp_path / "work").exists()  # nothing prepared for a run that cannot happen


def test_missing_cli_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CodeExecutionError, match="not found at docker_path='/nonexistent/docker'"):
        DockerCommandLineCodeExecutor(work_dir=tmp_path, docker_path="/nonexistent/docker")


@pytest.mark.skipif(PROBLEM is None, reason="a Docker engine is reachable here")
@pytest.mark.parametrize("use_docker", [True, "python:3.11-slim", ["python:3.11-slim"]])
def test_factory_use_docker_without_engine(tmp_path: Path, use_docker: object) -> None:
    with pytest.raises(CodeExecutionError) as info:
        create_executor({"use_docker": use_docker, "work_dir": str(tmp_path)})
    message = str(info.value)
    assert "Docker isn't reachable" in message
    assert "default sandbox" in message
    assert repr(use_docker) in message
