"""LocalCommandLineCodeExecutor used the way the AutoGen 0.2 code-executor docs use it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import convogen as autogen
from convogen import ConversableAgent
from convogen.code_utils import create_virtual_env
from convogen.coding import CodeBlock, LocalCommandLineCodeExecutor
from convogen.coding.base import CommandLineCodeResult
from convogen.coding.func_with_reqs import with_requirements

CODE_REPLY = "Here is the code:\n```python\nprint('sum is', 2 + 3)\n```"


@pytest.fixture
def executor(tmp_path: Path) -> LocalCommandLineCodeExecutor:
    return LocalCommandLineCodeExecutor(timeout=10, work_dir=tmp_path)


def test_agent_executes_a_code_block_with_the_executor(
    executor: LocalCommandLineCodeExecutor,
) -> None:
    agent = ConversableAgent(
        "code_executor_agent",
        llm_config=False,
        code_execution_config={"executor": executor},
        human_input_mode="NEVER",
    )
    reply = agent.generate_reply(messages=[{"role": "user", "content": CODE_REPLY}])
    assert isinstance(reply, str)
    assert reply.startswith("exitcode: 0 (execution succeeded)")
    assert "sum is 5" in reply


def test_chat_with_a_scripted_code_writer_runs_its_code(
    executor: LocalCommandLineCodeExecutor,
) -> None:
    writer = ConversableAgent(
        "code_writer",
        llm_config=autogen.scripted_llm_config([CODE_REPLY, "TERMINATE"]),
        code_execution_config=False,
        human_input_mode="NEVER",
    )
    runner = ConversableAgent(
        "code_executor_agent",
        llm_config=False,
        code_execution_config={"executor": executor},
        human_input_mode="NEVER",
    )
    result = runner.initiate_chat(writer, message="Add 2 and 3 in Python.", max_turns=2)
    contents = [m["content"] for m in result.chat_history]
    assert any("sum is 5" in str(c) for c in contents)


def test_result_is_a_command_line_result_naming_the_code_file(
    executor: LocalCommandLineCodeExecutor,
) -> None:
    result = executor.execute_code_blocks([CodeBlock(code="print('hi')", language="python")])
    assert isinstance(result, CommandLineCodeResult)
    assert (result.exit_code, result.output) == (0, "hi\n")
    assert result.code_file is not None
    assert Path(result.code_file).read_text() == "print('hi')"


def test_save_only_policy_writes_the_file_without_running_it(tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, execution_policies={"python": False})
    code = "# filename: never_run.py\nopen('ran.txt', 'w').write('x')"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="python")])
    assert result.exit_code == 0
    assert result.output == f"Code saved to {tmp_path / 'never_run.py'}\n"
    assert (tmp_path / "never_run.py").exists() and not (tmp_path / "ran.txt").exists()


def test_html_is_saved_not_run_by_default(executor: LocalCommandLineCodeExecutor) -> None:
    html = "<!-- filename: page.html -->\n<h1>hi</h1>"
    result = executor.execute_code_blocks([CodeBlock(code=html, language="html")])
    assert result.output.startswith("Code saved to ")
    assert (executor.work_dir / "page.html").read_text() == html


def test_functions_are_importable_from_the_functions_module(tmp_path: Path) -> None:
    def add_two_numbers(a: int, b: int) -> int:
        """Add two numbers together."""
        return a + b

    @with_requirements(python_packages=[], global_imports=["math"])
    def circle_area(radius: float) -> float:
        """Area of a circle."""
        return math.pi * radius**2  # type: ignore[name-defined]  # noqa: F821

    executor = LocalCommandLineCodeExecutor(
        work_dir=tmp_path, functions=[add_two_numbers, circle_area]
    )
    code = "from functions import add_two_numbers, circle_area\nprint(add_two_numbers(1, 2))\n"
    code += "print(round(circle_area(1.0), 2))"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="python")])
    assert (result.exit_code, result.output) == (0, "3\n3.14\n")


def test_format_functions_for_prompt_lists_the_stubs(tmp_path: Path) -> None:
    def add_two_numbers(a: int, b: int) -> int:
        """Add two numbers together."""
        return a + b

    executor = LocalCommandLineCodeExecutor(
        work_dir=tmp_path, functions=[add_two_numbers], functions_module="tools_mod"
    )
    prompt = executor.format_functions_for_prompt()
    assert "from tools_mod import foo" in prompt
    assert "def add_two_numbers(a: int, b: int) -> int:" in prompt
    assert '"""Add two numbers together."""' in prompt


def test_a_function_that_fails_to_load_is_a_value_error(tmp_path: Path) -> None:
    @with_requirements(global_imports=["module_that_does_not_exist_xyz"])
    def broken() -> None:
        """Needs a missing module."""

    executor = LocalCommandLineCodeExecutor(work_dir=tmp_path, functions=[broken])
    with pytest.raises(ValueError, match="Functions failed to load"):
        executor.execute_code_blocks([CodeBlock(code="print(1)", language="python")])


def test_code_runs_with_the_virtual_env_python(tmp_path: Path) -> None:
    venv_context = create_virtual_env(str(tmp_path / ".venv"), with_pip=False)
    executor = LocalCommandLineCodeExecutor(
        work_dir=tmp_path / "work", virtual_env_context=venv_context
    )
    code = "import os, sys\nprint(sys.prefix)\nprint(os.environ['PATH'].split(os.pathsep)[0])"
    result = executor.execute_code_blocks([CodeBlock(code=code, language="python")])
    prefix, first_path = result.output.splitlines()
    assert Path(prefix).resolve() == (tmp_path / ".venv").resolve()
    assert Path(first_path).resolve() == Path(venv_context.bin_path).resolve()
    assert Path(prefix).resolve() != Path(sys.prefix).resolve()


@pytest.mark.parametrize(
    "code", ["rm -rf /tmp/x", "dd if=/dev/zero of=f", "echo x > /dev/sda", ":(){ :|:& };:"]
)
def test_dangerous_shell_commands_are_refused(
    executor: LocalCommandLineCodeExecutor, code: str
) -> None:
    with pytest.raises(ValueError, match="Potentially dangerous command"):
        executor.execute_code_blocks([CodeBlock(code=code, language="bash")])


def test_unknown_language_fails_without_running(executor: LocalCommandLineCodeExecutor) -> None:
    result = executor.execute_code_blocks([CodeBlock(code="puts 1", language="ruby")])
    assert (result.exit_code, result.output.strip()) == (1, "unknown language ruby")


def test_bad_functions_module_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="functions_module"):
        LocalCommandLineCodeExecutor(work_dir=tmp_path, functions_module="not-a-module")


def test_timeout_below_one_second_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timeout"):
        LocalCommandLineCodeExecutor(timeout=0.5, work_dir=tmp_path)


def test_factory_builds_commandline_local_with_its_arguments(tmp_path: Path) -> None:
    executor = autogen.coding.CodeExecutorFactory.create(
        {"executor": "commandline-local", "commandline-local": {"work_dir": str(tmp_path)}}
    )
    assert isinstance(executor, LocalCommandLineCodeExecutor)
    assert executor.work_dir == tmp_path.resolve()


def test_factory_returns_an_executor_instance_as_is(
    executor: LocalCommandLineCodeExecutor,
) -> None:
    assert autogen.coding.CodeExecutorFactory.create({"executor": executor}) is executor


def test_factory_rejects_an_unknown_executor_name() -> None:
    with pytest.raises(ValueError, match="Unknown code executor"):
        autogen.coding.CodeExecutorFactory.create({"executor": "commandline-remote"})


def test_agent_config_with_commandline_local_name_runs_code(tmp_path: Path) -> None:
    agent = ConversableAgent(
        "runner",
        llm_config=False,
        code_execution_config={
            "executor": "commandline-local",
            "commandline-local": {"work_dir": str(tmp_path)},
        },
        human_input_mode="NEVER",
    )
    reply = agent.generate_reply(messages=[{"role": "user", "content": CODE_REPLY}])
    assert isinstance(reply, str) and "sum is 5" in reply


def test_a_virtual_env_context_must_come_from_create_virtual_env(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="virtual_env_context"):
        LocalCommandLineCodeExecutor(work_dir=tmp_path, virtual_env_context="/opt/venv")  # type: ignore[arg-type]


def test_execution_policies_map_languages_to_bools(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="execution_policies"):
        LocalCommandLineCodeExecutor(work_dir=tmp_path, execution_policies={"python": "no"})  # type: ignore[dict-item]
