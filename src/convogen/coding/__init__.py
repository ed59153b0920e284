"""Classic ``autogen.coding``: code executors and extractors (over ``convogen.code``).

The Docker executor and the Jupyter package load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from convogen.coding.base import CodeBlock, CodeExecutor, CodeExtractor, CodeResult
from convogen.coding.factory import CodeExecutorFactory
from convogen.coding.local_commandline_code_executor import LocalCommandLineCodeExecutor
from convogen.coding.markdown_code_extractor import MarkdownCodeExtractor

if TYPE_CHECKING:
    from convogen.coding import (
        base,
        docker_commandline_code_executor,
        factory,
        func_with_reqs,
        local_commandline_code_executor,
        markdown_code_extractor,
        utils,
    )
    from convogen.coding.docker_commandline_code_executor import DockerCommandLineCodeExecutor

__all__ = [
    "CodeBlock",
    "CodeExecutor",
    "CodeExecutorFactory",
    "CodeExtractor",
    "CodeResult",
    "DockerCommandLineCodeExecutor",
    "LocalCommandLineCodeExecutor",
    "MarkdownCodeExtractor",
    "base",
    "docker_commandline_code_executor",
    "factory",
    "func_with_reqs",
    "local_commandline_code_executor",
    "markdown_code_extractor",
    "utils",
]

_SUBMODULES = frozenset(
    {
        "base",
        "docker_commandline_code_executor",
        "factory",
        "func_with_reqs",
        "jupyter",
        "local_commandline_code_executor",
        "markdown_code_extractor",
        "utils",
    }
)


def __getattr__(name: str) -> Any:
    """Load the Docker executor and the submodules lazily."""
    if name == "DockerCommandLineCodeExecutor":
        from convogen.coding.docker_commandline_code_executor import (
            DockerCommandLineCodeExecutor,
        )

        return DockerCommandLineCodeExecutor
    if name in _SUBMODULES:
        return importlib.import_module(f"convogen.coding.{name}")
    raise AttributeError(f"module 'convogen.coding' has no attribute {name!r}")
