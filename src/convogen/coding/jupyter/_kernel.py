"""What both classic kernel executors add to convogen's: 0.2's timeout rule and result types."""

from __future__ import annotations

from pathlib import Path

from convogen.code.jupyter import JupyterCodeExecutor as _RoomJupyterExecutor
from convogen.code.protocol import CodeBlock as _RoomBlock
from convogen.coding.base import CodeBlock, CodeExtractor, IPythonCodeResult
from convogen.coding.markdown_code_extractor import MarkdownCodeExtractor
from convogen.errors import ConfigError


class ClassicKernelExecutor(_RoomJupyterExecutor):
    """convogen's kernel executor with 0.2's blocks, extractor and ``IPythonCodeResult``."""

    def __init__(self, *, timeout: int | float, output_dir: str | Path, kernel_name: str) -> None:
        # 0.2 requires at least one second (convogen's own executor accepts any positive time).
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout < 1:
            raise ConfigError("timeout", timeout, "must be at least 1 second")
        super().__init__(timeout=timeout, work_dir=output_dir, kernel_name=kernel_name)

    @property
    def code_extractor(self) -> CodeExtractor:
        """The markdown extractor."""
        return MarkdownCodeExtractor()

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> IPythonCodeResult:  # type: ignore[override]
        """Run the blocks in the kernel, stopping at the first failure; images go to output_dir."""
        blocks = [_RoomBlock(b.code, b.language) for b in code_blocks]
        return IPythonCodeResult.from_result(super().execute_code_blocks(blocks))
