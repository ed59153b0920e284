"""Classic ``autogen.code_utils``: code extraction and one-shot execution (``convogen.code``)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from convogen.code.codegen import (
    DEFAULT_MODEL,
    FAST_MODEL,
    PassAssertionFilter,
    eval_function_completions,
    generate_assertions,
    generate_code,
    implement,
    improve_code,
    improve_function,
)
from convogen.code.extract import CODE_BLOCK_PATTERN, UNKNOWN, find_code, infer_lang
from convogen.code.local_files import PYTHON_VARIANTS as _PYTHON_VARIANTS
from convogen.code.one_shot import (
    DEFAULT_TIMEOUT,
    SENTINEL,
    TIMEOUT_MSG,
    WORKING_DIR,
    check_can_use_docker_or_throw,
    decide_use_docker,
    execute_code,
    in_docker_container,
    is_docker_running,
)
from convogen.code.virtual_env import create_virtual_env

__all__ = [
    "CODE_BLOCK_PATTERN",
    "DEFAULT_MODEL",
    "DEFAULT_TIMEOUT",
    "FAST_MODEL",
    "SENTINEL",
    "TIMEOUT_MSG",
    "UNKNOWN",
    "WORKING_DIR",
    "PassAssertionFilter",
    "check_can_use_docker_or_throw",
    "content_str",
    "create_virtual_env",
    "decide_use_docker",
    "eval_function_completions",
    "execute_code",
    "extract_code",
    "generate_assertions",
    "generate_code",
    "implement",
    "improve_code",
    "improve_function",
    "in_docker_container",
    "infer_lang",
    "is_docker_running",
]

WIN32 = sys.platform == "win32"
PATH_SEPARATOR = "\\" if WIN32 else "/"
PYTHON_VARIANTS = list(_PYTHON_VARIANTS)


def content_str(content: str | list[dict[str, Any]] | None) -> str:
    """Message content as text: text parts concatenated, each image as '<image>'."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise TypeError(f"content must be None, str, or list, but got {type(content)}")
    text = ""
    for item in content:
        if not isinstance(item, dict) or "type" not in item:
            raise TypeError(f"every content part must be a dict with a 'type' key, got {item!r}")
        if item["type"] == "text":
            text += item["text"]
        elif item["type"] == "image_url":
            text += "<image>"
        else:
            raise ValueError(
                f"Wrong content format: unknown type {item['type']} within the content"
            )
    return text


def extract_code(
    text: str | list[dict[str, Any]],
    pattern: str = CODE_BLOCK_PATTERN,
    detect_single_line_code: bool = False,
) -> list[tuple[str, str]]:
    """(language, code) of each code block; [(UNKNOWN, text)] when there is none."""
    return find_code(content_str(text), pattern, detect_single_line_code)


def timeout_handler(signum: int, frame: Any) -> None:
    """A SIGALRM handler that turns the alarm into TimeoutError."""
    raise TimeoutError("Timed out!")


def _powershell_answers(command: list[str]) -> bool:
    """Whether ``command`` (a PowerShell asked for its version) runs and exits 0."""
    return subprocess.run(command, capture_output=True, text=True).returncode == 0


def get_powershell_command() -> str:
    """The PowerShell executable that runs: 'powershell', else 'pwsh'.

    Raises ``PermissionError`` when 'powershell' may not be run and ``FileNotFoundError``
    when neither is installed (as in AutoGen 0.2).
    """
    try:
        if _powershell_answers(["powershell", "$PSVersionTable.PSVersion.Major"]):
            return "powershell"
    except PermissionError as exc:
        raise PermissionError("No permission to run powershell.") from exc
    except (FileNotFoundError, NotADirectoryError):
        pass
    try:
        if _powershell_answers(["pwsh", "-Command", "$PSVersionTable.PSVersion.Major"]):
            return "pwsh"
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise FileNotFoundError(
            "Neither powershell nor pwsh is installed; install PowerShell and try again."
        ) from exc
    raise FileNotFoundError("Neither powershell nor pwsh runs; check the PowerShell install.")
