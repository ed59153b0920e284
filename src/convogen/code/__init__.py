"""The code-execution room: extracting code from messages and running it (sandboxed by default).

Importing this package stays cheap: the local, Jupyter and Docker executors load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from convogen.code.extract import (
    CODE_BLOCK_PATTERN,
    UNKNOWN,
    content_has_code,
    extract_code,
    infer_lang,
)
from convogen.code.factory import create_executor
from convogen.code.protocol import CodeBlock, CodeExecutor, CodeResult
from convogen.code.sandbox import SandboxCodeExecutor

if TYPE_CHECKING:
    from convogen.code.docker import DockerCommandLineCodeExecutor
    from convogen.code.jupyter import JupyterCodeExecutor
    from convogen.code.local import LocalCommandLineCodeExecutor

__all__ = [
    "CODE_BLOCK_PATTERN",
    "UNKNOWN",
    "CodeBlock",
    "CodeExecutor",
    "CodeResult",
    "DockerCommandLineCodeExecutor",
    "JupyterCodeExecutor",
    "LocalCommandLineCodeExecutor",
    "SandboxCodeExecutor",
    "content_has_code",
    "create_executor",
    "extract_code",
    "infer_lang",
]


def __getattr__(name: str) -> Any:
    """Load the optional executors lazily."""
    if name == "JupyterCodeExecutor":
        from convogen.code.jupyter import JupyterCodeExecutor

        return JupyterCodeExecutor
    if name == "LocalCommandLineCodeExecutor":
        from convogen.code.local import LocalCommandLineCodeExecutor

        return LocalCommandLineCodeExecutor
    if name == "DockerCommandLineCodeExecutor":
        from convogen.code.docker import DockerCommandLineCodeExecutor

        return DockerCommandLineCodeExecutor
    raise AttributeError(f"module 'convogen.code' has no attribute {name!r}")
