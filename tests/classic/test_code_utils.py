"""Classic ``convogen.code_utils``: 0.2's extraction tuples and one-shot execution."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import convogen as autogen
from convogen.code_utils import (
    TIMEOUT_MSG,
    UNKNOWN,
    check_can_use_docker_or_throw,
    content_str,
    create_virtual_env,
    decide_use_docker,
    eval_function_completions,
    execute_code,
    extract_code,
    generate_code,
    implement,
    in_docker_container,
    infer_lang,
    is_docker_running,
)

TWO_BLOCKS = "First:\n```python\nprint('a')\n```\nThen:\n```\nls -l\n```\n"


def test_extract_code_returns_language_code_tuples() -> None:
    assert extract_code(TWO_BLOCKS) == [("python", "print('a')"), ("", "ls -l")]


def test_extract_code_without_a_block_returns_the_text_as_unknown() -> None:
    assert extract_code("no code here") == [(UNKNOWN, "no code here")]


def test_extract_code_detects_single_line_code_when_asked() -> None:
    text = "Run `pip install numpy` first."
    assert extract_code(text, detect_single_line_code=True) == [("", "pip install numpy")]
    assert extract_code(text) == [(UNKNOWN, text)]


def test_extract_code_accepts_multimodal_content() -> None:
    content = [{"type": "text", "text": "```sh\necho hi\n```"}]
    assert extract_code(content) == [("sh", "echo hi")]


def test_content_str_renders_none_text_and_parts() -> None:
    parts = [
        {"type": "text", "text": "look: "},
        {"type": "image_url", "image_url": {"url": "x"}},
    ]
    assert content_str(None) == ""
    assert content_str("plain") == "plain"
    assert content_str(parts) == "look: <image>"


def test_content_str_rejects_bad_content() -> None:
    with pytest.raises(TypeError, match="content must be None, str, or list"):
        content_str(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown type audio"):
        content_str([{"type": "audio"}])


@pytest.mark.parametrize(
    ("code", "lang"),
    [("pip install numpy", "sh"), ("x = 1\nprint(x)", "python"), ("for {", UNKNOWN)],
)
def test_infer_lang(code: str, lang: str) -> None:
    assert infer_lang(code) == lang


def test_execute_code_on_the_host_returns_exit_code_logs_and_no_image(tmp_path: Path) -> None:
    result = execute_code("print('hello')", work_dir=str(tmp_path), use_docker=False)
    assert result == (0, "hello\n", None)


def test_execute_code_removes_its_temporary_code_file(in_tmp: Path) -> None:
    assert execute_code("print('x')", use_docker=False) == (0, "x\n", None)
    assert list((in_tmp / "coding").iterdir()) == []


def test_execute_code_reports_a_failure(tmp_path: Path) -> None:
    exit_code, logs, image = execute_code("1/0", work_dir=str(tmp_path), use_docker=False)
    assert exit_code == 1 and "ZeroDivisionError" in logs and image is None


def test_execute_code_timeout_gives_the_timeout_message(tmp_path: Path) -> None:
    result = execute_code(
        "import time\ntime.sleep(30)", timeout=1, work_dir=str(tmp_path), use_docker=False
    )
    assert result == (1, TIMEOUT_MSG, None)


def test_execute_code_runs_a_named_file(tmp_path: Path) -> None:
    (tmp_path / "job.sh").write_text("echo from-file\n")
    result = execute_code(filename="job.sh", work_dir=str(tmp_path), use_docker=False, lang="sh")
    assert result == (0, "from-file\n", None)


def test_execute_code_needs_code_or_a_filename() -> None:
    with pytest.raises(AssertionError, match="must be provided"):
        execute_code(use_docker=False)


@pytest.mark.skipif(is_docker_running(), reason="a Docker engine is running here")
@pytest.mark.skipif(in_docker_container(), reason="inside a container 0.2 runs code natively")
def test_explicit_docker_without_an_engine_is_a_runtime_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="docker is not running"):
        execute_code("print(1)", work_dir=str(tmp_path), use_docker=True)


@pytest.mark.skipif(is_docker_running(), reason="a Docker engine is running here")
def test_default_docker_without_an_engine_runs_in_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    monkeypatch.delenv("AUTOGEN_USE_DOCKER", raising=False)
    code = "import os\nprint(os.getcwd())"
    exit_code, logs, image = execute_code(code, work_dir=str(tmp_path / "w"))
    assert (exit_code, logs, image) == (0, "/workspace\n", None)  # the sandbox's view


@pytest.mark.skipif(is_docker_running(), reason="a Docker engine is running here")
@pytest.mark.skipif(not in_docker_container(), reason="only inside a container")
def test_explicit_docker_inside_a_container_without_an_engine_uses_the_sandbox(
    tmp_path: Path,
) -> None:
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    code = "import os\nprint(os.getcwd())"
    result = execute_code(code, work_dir=str(tmp_path / "w"), use_docker=True)
    assert result == (0, "/workspace\n", None)


@pytest.mark.parametrize(
    ("value", "expected"), [("0", False), ("no", False), ("True", True), ("None", None)]
)
def test_decide_use_docker_reads_autogen_use_docker(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool | None
) -> None:
    monkeypatch.setenv("AUTOGEN_USE_DOCKER", value)
    assert decide_use_docker(None) is expected
    assert decide_use_docker(False) is False


def test_decide_use_docker_rejects_a_bad_env_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOGEN_USE_DOCKER", "maybe")
    with pytest.raises(ValueError, match="AUTOGEN_USE_DOCKER"):
        decide_use_docker(None)


def test_check_can_use_docker_accepts_no_docker() -> None:
    check_can_use_docker_or_throw(False)
    check_can_use_docker_or_throw(None)


def test_in_docker_container_matches_dockerenv() -> None:
    assert in_docker_container() == Path("/.dockerenv").exists()


def test_create_virtual_env_returns_the_venv_context(tmp_path: Path) -> None:
    context = create_virtual_env(str(tmp_path / "env"), with_pip=False)
    assert Path(context.env_exe).exists()
    assert Path(context.bin_path).parent == (tmp_path / "env").resolve()


def test_generate_code_extracts_blocks_from_the_model_answer() -> None:
    config = autogen.scripted_llm_config(["```python\nprint(42)\n```"])
    code, cost = generate_code(prompt="Write code", **config)
    assert code == [("python", "print(42)")]
    assert cost >= 0


DEFINITION = 'def add(a, b):\n    """Add two numbers.\n\n    >>> add(1, 2)\n    3\n    """\n'
TEST = "def check(candidate):\n    assert candidate(2, 2) == 4\n"


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """These helpers run code in the default work dir, ./coding: keep it in tmp_path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_eval_function_completions_scores_responses_with_the_test(in_tmp: Path) -> None:
    responses = ["    return a - b\n", "    return a + b\n"]
    metrics = eval_function_completions(
        responses, DEFINITION, test=TEST, entry_point="add", use_docker=False
    )
    assert metrics == {"expected_success": 0.75, "success": True}


def test_eval_function_completions_selects_the_first_passing_response(in_tmp: Path) -> None:
    responses = ["    return a - b\n", "    return a + b\n"]
    metrics = eval_function_completions(
        responses, DEFINITION, assertions="assert add(1, 2) == 3", use_docker=False
    )
    assert metrics["index_selected"] == 1 and metrics["succeed_assertions"] is True


@pytest.mark.skipif(
    not is_docker_running() and not (in_docker_container() and shutil.which("bwrap")),
    reason="0.2's implement() checks assertions with use_docker=True: needs Docker or, "
    "inside a container, the sandbox",
)
def test_implement_returns_the_first_completion_passing_the_assertions(in_tmp: Path) -> None:
    configs = [
        {"prompt": "{definition}", **autogen.scripted_llm_config(["    return a * b\n"])},
        {"prompt": "{definition}", **autogen.scripted_llm_config(["    return a + b\n"])},
    ]
    code, cost, index = implement(DEFINITION, configs, assertions="assert add(1, 2) == 3")
    assert (code, index) == ("    return a + b\n", 1)
    assert cost >= 0


def test_single_line_detection_keeps_blocks_and_inline_code_in_order() -> None:
    text = "Run `pip install x`, then:\n```python\nprint(`not inline`)\n```\nand `ls`."
    assert extract_code(text, detect_single_line_code=True) == [
        ("", "pip install x"),
        ("python", "print(`not inline`)"),
        ("", "ls"),
    ]


def test_single_line_detection_without_code_gives_no_blocks() -> None:
    assert extract_code("nothing here", detect_single_line_code=True) == []
