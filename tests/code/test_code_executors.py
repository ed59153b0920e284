"""Behaviour every command-line executor shares (sandbox and local run the same cases)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from code_test_support import PNG_SNIPPET, leftover_processes, png_dimensions, sandbox_problem

from convogen.code import (
    CodeBlock,
    CodeExecutor,
    LocalCommandLineCodeExecutor,
    SandboxCodeExecutor,
)


@pytest.fixture(params=["sandbox", "local"])
def executor(request: pytest.FixtureRequest, work_dir: Path) -> Iterator[CodeExecutor]:
    """Each test runs once per command-line executor."""
    if request.param == "sandbox":
        problem = sandbox_problem()
        if problem is not None:
            pytest.skip(f"bubblewrap sandbox unavailable: {problem}")
        sandbox = SandboxCodeExecutor(timeout=5, work_dir=work_dir)
        yield sandbox
        sandbox.close()
    else:
        yield LocalCommandLineCodeExecutor(timeout=5, work_dir=work_dir)


def test_implements_the_protocol(executor: CodeExecutor, work_dir: Path) -> None:
    assert isinstance(executor, CodeExecutor)
    assert executor.work_dir == work_dir.resolve()


def test_python_block(executor: CodeExecutor) -> None:
    result = executor.execute_code_blocks([CodeBlock("print(6 * 7)", "python")])
    assert (result.exit_code, result.output) == (0, "42\n")
    assert result.files == []


def test_sh_block_and_aliases(executor: CodeExecutor) -> None:
    blocks = [
        CodeBlock("echo one", "sh"),
        CodeBlock("echo two", "bash"),
        CodeBlock("echo 3", "shell"),
    ]
    result = executor.execute_code_blocks(blocks)
    assert (result.exit_code, result.output) == (0, "one\ntwo\n3\n")


def test_python_runs_with_the_current_interpreter(executor: CodeExecutor) -> None:
    import sys

    result = executor.execute_code_blocks([CodeBlock("import sys; print(sys.prefix)", "py")])
    assert result.output.strip() == sys.prefix


def test_stderr_is_captured(executor: CodeExecutor) -> None:
    code = "import sys\nprint('out')\nprint('err', file=sys.stderr)"
    result = executor.execute_code_blocks([CodeBlock(code, "python")])
    assert result.exit_code == 0
    assert "out" in result.output and "err" in result.output


def test_first_failure_stops_the_run(executor: CodeExecutor, work_dir: Path) -> None:
    blocks = [
        CodeBlock("print('first')", "python"),
        CodeBlock("import sys\nprint('failing')\nsys.exit(3)", "python"),
        CodeBlock("# filename: never.py\nprint('never')", "python"),
    ]
    result = executor.execute_code_blocks(blocks)
    assert result.exit_code == 3
    assert "first" in result.output and "failing" in result.output
    assert "never" not in result.output
    assert not (work_dir / "never.py").exists()


def test_python_exception_gives_traceback(executor: CodeExecutor) -> None:
    result = executor.execute_code_blocks([CodeBlock("1 / 0", "python")])
    assert result.exit_code == 1
    assert "ZeroDivisionError" in result.output


def test_timeout_kills_and_reports(executor: CodeExecutor, work_dir: Path) -> None:
    fast = type(executor)(timeout=1, work_dir=work_dir)  # type: ignore[call-arg]
    marker = f"timeout-marker-{time.monotonic_ns()}"
    code = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)', '{marker}'])\n"
        "time.sleep(30)"
    )
    started = time.monotonic()
    result = fast.execute_code_blocks([CodeBlock(code, "python")])
    assert time.monotonic() - started < 4
    assert result.exit_code == 124
    assert "Timeout" in result.output
    # The sandbox returns only once its whole tree is gone; a host process group may need
    # a moment to die after SIGKILL.
    grace = 0.0 if isinstance(executor, SandboxCodeExecutor) else 2.0
    assert leftover_processes(marker, grace=grace) == []


def test_filename_comment_names_the_file(executor: CodeExecutor, work_dir: Path) -> None:
    code = "# filename: pkg/hello_mod.py\nprint('from file')"
    result = executor.execute_code_blocks([CodeBlock(code, "python")])
    assert result.exit_code == 0 and "from file" in result.output
    assert (
        (work_dir / "pkg" / "hello_mod.py").read_text().startswith("# filename: pkg/hello_mod.py")
    )
    assert result.files == []  # code files are not "produced" files


@pytest.mark.parametrize("name", ["../escape.py", "/tmp/abs_escape.py", "a/../../escape.py"])
def test_filename_escaping_the_work_dir_is_rejected(
    executor: CodeExecutor, work_dir: Path, name: str
) -> None:
    result = executor.execute_code_blocks([CodeBlock(f"# filename: {name}\nprint(1)", "python")])
    assert result.exit_code == 1
    assert name in result.output
    assert not (work_dir.parent / "escape.py").exists()
    assert not Path("/tmp/abs_escape.py").exists()


def test_produced_png_is_listed(executor: CodeExecutor, work_dir: Path) -> None:
    code = PNG_SNIPPET.format(name="plot.png")
    result = executor.execute_code_blocks([CodeBlock(code, "python")])
    assert result.exit_code == 0, result.output
    assert result.files == [(work_dir / "plot.png").resolve()]
    assert png_dimensions((work_dir / "plot.png").read_bytes()) == (4, 3)


def test_only_created_or_modified_files_are_listed(executor: CodeExecutor, work_dir: Path) -> None:
    executor.execute_code_blocks([CodeBlock("open('a.txt','w').write('1')", "python")])
    (work_dir / "untouched.txt").write_text("same")
    code = "open('a.txt','w').write('22')\nopen('sub_b.txt','w').write('new')"
    result = executor.execute_code_blocks([CodeBlock(code, "python")])
    assert result.files == sorted(
        [(work_dir / "a.txt").resolve(), (work_dir / "sub_b.txt").resolve()]
    )


def test_unknown_language_runs_nothing(executor: CodeExecutor, work_dir: Path) -> None:
    result = executor.execute_code_blocks([CodeBlock("print 'hi';", "perl")])
    assert result.exit_code == 1
    assert result.output == "unknown language perl"
    assert list(work_dir.iterdir()) == []


def test_restart_is_harmless(executor: CodeExecutor) -> None:
    executor.restart()
    assert executor.execute_code_blocks([CodeBlock("print(1)", "python")]).exit_code == 0


def test_empty_block_list(executor: CodeExecutor) -> None:
    result = executor.execute_code_blocks([])
    assert (result.exit_code, result.output, result.files) == (0, "", [])
