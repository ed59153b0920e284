"""Classic Jupyter executors: a stateful local kernel, as in the 0.2 docs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from convogen import ConversableAgent
from convogen.coding import CodeBlock, CodeExecutorFactory
from convogen.coding.base import IPythonCodeResult
from convogen.errors import CodeExecutionError

pytest.importorskip("jupyter_client", reason="jupyter_client is not installed")
pytest.importorskip("ipykernel", reason="ipykernel is not installed")

from convogen.coding.jupyter import (
    DockerJupyterServer,
    EmbeddedIPythonCodeExecutor,
    JupyterCodeExecutor,
    JupyterConnectionInfo,
    LocalJupyterServer,
)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedIPythonCodeExecutor]:
    executor = EmbeddedIPythonCodeExecutor(output_dir=tmp_path_factory.mktemp("ipy"))
    yield executor
    executor.stop()


def test_embedded_kernel_keeps_state_and_returns_an_ipython_result(
    embedded: EmbeddedIPythonCodeExecutor,
) -> None:
    embedded.execute_code_blocks([CodeBlock(code="x = 41", language="python")])
    result = embedded.execute_code_blocks([CodeBlock(code="print(x + 1)", language="python")])
    assert isinstance(result, IPythonCodeResult)
    assert (result.exit_code, result.output) == (0, "42\n")


def test_agent_uses_the_embedded_executor(embedded: EmbeddedIPythonCodeExecutor) -> None:
    agent = ConversableAgent(
        "runner",
        llm_config=False,
        code_execution_config={"executor": embedded},
        human_input_mode="NEVER",
    )
    message = "```python\nprint('from kernel')\n```"
    reply = agent.generate_reply(messages=[{"role": "user", "content": message}])
    assert isinstance(reply, str) and "from kernel" in reply


def test_embedded_output_dir_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="output_dir"):
        EmbeddedIPythonCodeExecutor(output_dir=tmp_path / "missing")


def test_jupyter_code_executor_runs_on_a_local_jupyter_server(tmp_path: Path) -> None:
    with (
        LocalJupyterServer() as server,
        JupyterCodeExecutor(server, output_dir=tmp_path) as executor,
    ):
        result = executor.execute_code_blocks([CodeBlock(code="print(6 * 7)", language="python")])
    assert (result.exit_code, result.output) == (0, "42\n")


def test_jupyter_code_executor_refuses_a_remote_server(tmp_path: Path) -> None:
    info = JupyterConnectionInfo(host="example.org", use_https=True, token="t")
    with pytest.raises(ValueError, match="LocalJupyterServer"):
        JupyterCodeExecutor(info, output_dir=tmp_path)  # type: ignore[arg-type]


def test_factory_builds_ipython_embedded(tmp_path: Path) -> None:
    executor = CodeExecutorFactory.create(
        {"executor": "ipython-embedded", "ipython-embedded": {"output_dir": str(tmp_path)}}
    )
    try:
        assert isinstance(executor, EmbeddedIPythonCodeExecutor)
    finally:
        executor.stop()  # type: ignore[attr-defined]


def test_docker_jupyter_server_fails_at_construction() -> None:
    with pytest.raises(CodeExecutionError, match="DockerJupyterServer"):
        DockerJupyterServer()


def test_agent_config_naming_ipython_embedded_runs_code_in_a_kernel(tmp_path: Path) -> None:
    agent = ConversableAgent(
        "runner",
        llm_config=False,
        code_execution_config={
            "executor": "ipython-embedded",
            "ipython-embedded": {"output_dir": str(tmp_path), "timeout": 10},
        },
        human_input_mode="NEVER",
    )
    message = "```python\nanswer = 6 * 7\nprint(answer)\n```"
    reply = agent.generate_reply(messages=[{"role": "user", "content": message}])
    assert isinstance(reply, str) and reply.startswith("exitcode: 0") and "42" in reply
