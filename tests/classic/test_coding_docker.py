"""Classic DockerCommandLineCodeExecutor: without an engine, construction fails clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from convogen.code_utils import is_docker_running
from convogen.coding import DockerCommandLineCodeExecutor
from convogen.errors import CodeExecutionError


@pytest.mark.skipif(is_docker_running(), reason="a Docker engine is running here")
def test_construction_without_an_engine_names_the_problem(tmp_path: Path) -> None:
    with pytest.raises(CodeExecutionError, match="Docker"):
        DockerCommandLineCodeExecutor(work_dir=tmp_path)


def test_classic_policies_and_aliases_are_published() -> None:
    assert DockerCommandLineCodeExecutor.DEFAULT_EXECUTION_POLICY["python"] is True
    assert DockerCommandLineCodeExecutor.DEFAULT_EXECUTION_POLICY["html"] is False
    assert DockerCommandLineCodeExecutor.LANGUAGE_ALIASES["py"] == "python"
