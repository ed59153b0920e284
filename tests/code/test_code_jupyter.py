"""The Jupyter executor: a stateful ipykernel kernel on the host."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from code_test_support import PNG_SNIPPET, leftover_processes, png_dimensions

from convogen.code import CodeBlock, CodeExecutor
from convogen.errors import CodeExecutionError, ConfigError

pytest.importorskip("jupyter_client", reason="jupyter_client is not installed")
pytest.importorskip("ipykernel", reason="ipykernel is not installed")

from convogen.code.jupyter import JupyterCodeExecutor


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterCodeExecutor]:
    """One kernel for the module (starting kernels is the slow part); a key in the env."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPENAI_API_KEY", "sk-jupyter-canary")
        patch.setenv("DATABASE_URL", "postgres://jupyter-canary")
        executor = JupyterCodeExecutor(
            timeout=2, work_dir=tmp_path_factory.mktemp("jupyter"), max_output_bytes=4096
        )
    with executor:
        yield executor


def test_api_keys_stay_out_of_the_kernel(kernel: JupyterCodeExecutor) -> None:
    result = kernel.execute_code_blocks(py("import os\nprint(os.environ.get('OPENAI_API_KEY'))"))
    assert result.output == "None\n"


def test_only_allow_listed_variables_reach_the_kernel(kernel: JupyterCodeExecutor) -> None:
    result = kernel.execute_code_blocks(py("import os\nprint(os.environ.get('DATABASE_URL'))"))
    assert result.output == "None\n"


def test_a_daemon_started_by_a_timed_out_cell_is_killed(kernel: JupyterCodeExecutor) -> None:
    marker = f"jupyter-daemon-{time.monotonic_ns()}"
    code = (
        "import subprocess, time\n"
        f"subprocess.Popen(['sh', '-c', 'sleep 30; : {marker}'], start_new_session=True)\n"
        "time.sleep(30)"
    )
    result = kernel.execute_code_blocks(py(code))
    assert result.exit_code == 124
    assert leftover_processes(marker, grace=2) == []
    assert kernel.execute_code_blocks(py("print('alive')")).output == "alive\n"


def test_a_daemon_started_by_a_cell_dies_with_the_executor(tmp_path: Path) -> None:
    marker = f"jupyter-close-{time.monotonic_ns()}"
    executor = JupyterCodeExecutor(timeout=10, work_dir=tmp_path)
    code = f"import subprocess\nsubprocess.Popen(['setsid', 'sh', '-c', 'sleep 30; : {marker}'])"
    assert executor.execute_code_blocks(py(code)).exit_code == 0
    executor.close()
    assert leftover_processes(marker, grace=2) == []


def py(code: str) -> list[CodeBlock]:
    return [CodeBlock(code, "python")]


def test_is_a_code_executor(kernel: JupyterCodeExecutor) -> None:
    assert isinstance(kernel, CodeExecutor)


def test_state_persists_between_calls(kernel: JupyterCodeExecutor) -> None:
    assert kernel.execute_code_blocks(py("answer = 41")).exit_code == 0
    result = kernel.execute_code_blocks(py("answer += 1\nprint('value', answer)\nanswer"))
    assert result.exit_code == 0
    assert result.output == "value 42\n42\n"


def test_error_gives_exit_code_one_and_traceback(kernel: JupyterCodeExecutor) -> None:
    result = kernel.execute_code_blocks(py("print('before')\n1 / 0") + py("print('after')"))
    assert result.exit_code == 1
    assert "before" in result.output and "ZeroDivisionError" in result.output
    assert "after" not in result.output
    assert "\x1b[" not in result.output  # ANSI colours stripped


def test_png_display_data_is_saved(kernel: JupyterCodeExecutor) -> None:
    code = PNG_SNIPPET.format(name="made.png") + (
        "from IPython.display import Image, display\ndisplay(Image(data=png))"
    )
    result = kernel.execute_code_blocks(py(code))
    assert result.exit_code == 0, result.output
    images = [f for f in result.files if f.name.startswith("image_")]
    assert len(images) == 1 and "[image saved to" in result.output
    assert png_dimensions(images[0].read_bytes()) == (4, 3)
    assert kernel.work_dir / "made.png" in result.files  # written by the cell itself


def test_stream_output_is_capped(kernel: JupyterCodeExecutor) -> None:
    result = kernel.execute_code_blocks(py("print('q' * 10000)"))
    assert "output truncated" in result.output and len(result.output) < 4200


def test_timeout_interrupts_and_kernel_survives(kernel: JupyterCodeExecutor) -> None:
    kernel.execute_code_blocks(py("survivor = 'yes'"))
    started = time.monotonic()
    result = kernel.execute_code_blocks(py("import time\ntime.sleep(30)"))
    assert result.exit_code == 124 and "Timeout" in result.output
    assert time.monotonic() - started < 8
    assert kernel.execute_code_blocks(py("print(survivor)")).output == "yes\n"


def test_sh_blocks_are_rejected_clearly(kernel: JupyterCodeExecutor) -> None:
    result = kernel.execute_code_blocks([CodeBlock("ls", "sh")])
    assert result.exit_code == 1
    assert result.output.startswith("unknown language sh")
    assert "python blocks only" in result.output


def test_filename_comment_writes_the_file(kernel: JupyterCodeExecutor) -> None:
    result = kernel.execute_code_blocks(py("# filename: helper_mod.py\nHELPER = 5\nprint(HELPER)"))
    assert result.output == "5\n"
    assert (kernel.work_dir / "helper_mod.py").exists()
    assert kernel.work_dir / "helper_mod.py" not in result.files


def test_cwd_is_the_work_dir(kernel: JupyterCodeExecutor) -> None:
    result = kernel.execute_code_blocks(py("import os\nprint(os.getcwd())"))
    assert Path(result.output.strip()) == kernel.work_dir


def test_restart_clears_state_and_stop_ends_the_kernel(tmp_path: Path) -> None:
    executor = JupyterCodeExecutor(timeout=5, work_dir=tmp_path)
    executor.execute_code_blocks(py("temporary = 1"))
    executor.restart()
    result = executor.execute_code_blocks(py("print(temporary)"))
    assert result.exit_code == 1 and "NameError" in result.output
    executor.stop()
    with pytest.raises(CodeExecutionError, match="stopped"):
        executor.execute_code_blocks(py("1"))
    executor.stop()  # idempotent


def test_pass_env_hands_named_variables_to_the_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVOGEN_KERNEL_PROBE", "passed")
    with JupyterCodeExecutor(
        timeout=10, work_dir=tmp_path, pass_env=["CONVOGEN_KERNEL_PROBE"]
    ) as executor:
        result = executor.execute_code_blocks(
            py("import os\nprint(os.environ['CONVOGEN_KERNEL_PROBE'])")
        )
    assert result.output == "passed\n"


def test_a_system_work_dir_is_refused() -> None:
    with pytest.raises(ConfigError, match="refused as a work dir"):
        JupyterCodeExecutor(work_dir="/etc")


def test_bad_timeout_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="timeout"):
        JupyterCodeExecutor(timeout=-1, work_dir=tmp_path)


def test_unknown_kernel_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CodeExecutionError, match="no-such-kernel"):
        JupyterCodeExecutor(work_dir=tmp_path, kernel_name="no-such-kernel")
