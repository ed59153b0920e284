"""Running one piece of code once (0.2's ``execute_code``), choosing where it runs.

Where 0.2 runs code in Docker by default and no Docker engine answers, convogen runs it in
its bubblewrap sandbox instead of failing (an explicit ``use_docker=True`` still fails), and
never falls back to the host silently.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from convogen.code._lifecycle import ReleasesOnClose
from convogen.code.protocol import CodeBlock, CodeExecutor
from convogen.errors import SandboxUnavailableError

SENTINEL: Any = object()
# 0.2 wrote into its package directory; convogen's one-shot runs use ./coding instead.
WORKING_DIR = "coding"
TIMEOUT_MSG = "Timeout"
DEFAULT_TIMEOUT = 600
_TRUTHY = frozenset({"1", "true", "yes", "t"})
_FALSY = frozenset({"0", "false", "no", "f"})


def in_docker_container() -> bool:
    """Whether this process runs inside a Docker container."""
    return os.path.exists("/.dockerenv")


def is_docker_running() -> bool:
    """Whether a Docker engine answers."""
    from convogen.code.docker import docker_problem

    return docker_problem() is None


def decide_use_docker(use_docker: bool | str | list[str] | None) -> bool | str | list[str] | None:
    """use_docker as given, or from AUTOGEN_USE_DOCKER (default True) when it is None."""
    if use_docker is not None:
        return use_docker
    value = os.environ.get("AUTOGEN_USE_DOCKER", "True").lower()
    if value in _TRUTHY:
        return True
    if value in _FALSY:
        return False
    if value == "none":
        return None
    raise ValueError(
        f"Invalid value for AUTOGEN_USE_DOCKER: {value}. "
        'Please set AUTOGEN_USE_DOCKER to "1/True/yes", "0/False/no", or "None".'
    )


def check_can_use_docker_or_throw(use_docker: bool | str | list[str] | None) -> None:
    """Raise RuntimeError when Docker is asked for but no engine is running."""
    if use_docker and not in_docker_container() and not is_docker_running():
        raise RuntimeError(
            "Code execution is set to be run in docker but docker is not running.\n"
            "The options available are:\n"
            "- Make sure docker is running\n"
            '- Set "use_docker": False in code_execution_config (convogen then uses its '
            "bubblewrap sandbox)\n"
            '- Set AUTOGEN_USE_DOCKER to "0/False/no" in your environment variables'
        )


def _sandbox(work_dir: Path, timeout: float) -> CodeExecutor:
    """Docker was wanted but no engine answers (0.2 then ran inside its own container, or
    failed): the bubblewrap sandbox, never silently the host."""
    from convogen.code.sandbox import SandboxCodeExecutor

    try:
        return SandboxCodeExecutor(timeout=timeout, work_dir=work_dir)
    except SandboxUnavailableError as exc:
        raise RuntimeError(
            f"no Docker engine and no bubblewrap sandbox to run code in ({exc}); "
            "pass use_docker=False to run it on this host"
        ) from exc


def _one_shot_executor(
    use_docker: Any, work_dir: Path, timeout: float
) -> tuple[CodeExecutor, str | None]:
    """The executor execute_code uses, and the Docker image name when it is Docker."""
    defaulted = use_docker is SENTINEL
    choice = decide_use_docker(None) if defaulted else use_docker
    if choice and not is_docker_running():
        if not defaulted:
            check_can_use_docker_or_throw(choice)  # asked for by name: fail, as 0.2
        return _sandbox(work_dir, timeout), None
    if choice:
        from convogen.code.docker import DEFAULT_IMAGE, DockerCommandLineCodeExecutor

        image = choice if isinstance(choice, str) else DEFAULT_IMAGE
        if isinstance(choice, list) and choice:
            image = str(choice[0])
        return DockerCommandLineCodeExecutor(image, timeout, work_dir), image
    from convogen.code.local import LocalCommandLineCodeExecutor

    return LocalCommandLineCodeExecutor(timeout, work_dir=work_dir, create_parents=True), None


def execute_code(
    code: str | None = None,
    timeout: int | None = None,
    filename: str | None = None,
    work_dir: str | None = None,
    use_docker: bool | str | list[str] | None = SENTINEL,
    lang: str | None = "python",
) -> tuple[int, str, str | None]:
    """Run code (or the file filename): (exit code, output, Docker image or None)."""
    if code is None and filename is None:
        raise AssertionError(f"Either {code=} or {filename=} must be provided.")
    language = lang or "python"
    directory = Path(work_dir or WORKING_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    if code is None:
        code = (directory / str(filename)).read_text(encoding="utf-8")
    # As in 0.2, code without a file name runs from a temporary file that is removed after.
    scratch = _scratch_name(code, language) if filename is None else None
    name = filename or scratch
    if name is not None:
        code = f"# filename: {name}\n{code}"
    executor, image = _one_shot_executor(use_docker, directory, float(timeout or DEFAULT_TIMEOUT))
    try:
        result = executor.execute_code_blocks([CodeBlock(code, language)])
    finally:
        if isinstance(executor, ReleasesOnClose):
            executor.close()
        if scratch is not None:
            (directory / scratch).unlink(missing_ok=True)
    if result.exit_code == 124:
        return 1, TIMEOUT_MSG, image
    return result.exit_code, result.output, image


def _scratch_name(code: str, lang: str) -> str | None:
    """A temporary file name for code whose language takes '# filename:' comments."""
    ext = {"python": "py", "py": "py", "sh": "sh", "bash": "sh", "shell": "sh"}.get(lang.lower())
    if ext is None:
        return None
    return f"tmp_code_{hashlib.md5(code.encode()).hexdigest()}.{ext}"
