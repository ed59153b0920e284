"""Classic ``autogen.coding.local_commandline_code_executor`` over convogen's local executor."""

from __future__ import annotations

import warnings
from typing import Any, ParamSpec

from convogen.code.local import LocalCommandLineCodeExecutor as _RoomLocalExecutor
from convogen.code.local_files import PYTHON_VARIANTS as _PYTHON_VARIANTS
from convogen.code.protocol import CodeBlock as _RoomBlock
from convogen.code_utils import TIMEOUT_MSG, WIN32
from convogen.coding.base import CodeBlock, CodeExtractor, CommandLineCodeResult
from convogen.coding.markdown_code_extractor import MarkdownCodeExtractor

__all__ = ["PYTHON_VARIANTS", "TIMEOUT_MSG", "WIN32", "LocalCommandLineCodeExecutor"]

A = ParamSpec("A")
PYTHON_VARIANTS = list(_PYTHON_VARIANTS)


class LocalCommandLineCodeExecutor(_RoomLocalExecutor):
    """Runs or saves code blocks on this host (UNSAFE), returning 0.2's result type."""

    @property
    def code_extractor(self) -> CodeExtractor:
        """The markdown extractor."""
        return MarkdownCodeExtractor()

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CommandLineCodeResult:  # type: ignore[override]
        """Run (or save) the blocks in order; the result names the first code file."""
        blocks = [_RoomBlock(b.code, b.language) for b in code_blocks]
        return CommandLineCodeResult.from_result(super().execute_code_blocks(blocks))


class LocalCommandlineCodeExecutor(LocalCommandLineCodeExecutor):
    """Old name of LocalCommandLineCodeExecutor (deprecated)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            "LocalCommandlineCodeExecutor has been renamed to LocalCommandLineCodeExecutor",
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(*args, **kwargs)


class CommandlineCodeResult:
    """Old name of CommandLineCodeResult (deprecated): builds a CommandLineCodeResult."""

    def __new__(cls, *args: Any, **kwargs: Any) -> CommandLineCodeResult:  # type: ignore[misc]
        warnings.warn(
            "CommandlineCodeResult has been renamed to CommandLineCodeResult",
            DeprecationWarning,
            stacklevel=2,
        )
        if args:
            raise TypeError("CommandlineCodeResult takes keyword arguments only")
        return CommandLineCodeResult(**kwargs)
