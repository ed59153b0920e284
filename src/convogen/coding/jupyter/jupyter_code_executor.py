"""Classic ``autogen.coding.jupyter.jupyter_code_executor`` over convogen's kernel executor."""

from __future__ import annotations

from pathlib import Path

from convogen.code.jupyter import JupyterCodeExecutor as _RoomJupyterExecutor
from convogen.code.protocol import CodeBlock as _RoomBlock
from convogen.coding.base import CodeBlock, CodeExtractor, IPythonCodeResult
from convogen.coding.jupyter.local_jupyter_server import LocalJupyterServer
from convogen.coding.markdown_code_extractor import MarkdownCodeExtractor
from convogen.errors import ConfigError


class JupyterCodeExecutor(_RoomJupyterExecutor):
    """Runs python blocks in a stateful kernel that a LocalJupyterServer provides."""

    def __init__(
        self,
        jupyter_server: LocalJupyterServer,
        kernel_name: str = "python3",
        timeout: int = 60,
        output_dir: str | Path = Path("."),
    ) -> None:
        if not isinstance(jupyter_server, LocalJupyterServer):
            raise ConfigError(
                "jupyter_server",
                jupyter_server,
                "must be a LocalJupyterServer (convogen does not run code on remote servers)",
            )
        if jupyter_server.stopped:
            raise ConfigError("jupyter_server", jupyter_server, "was stopped")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout < 1:
            raise ConfigError("timeout", timeout, "must be at least 1 second")
        super().__init__(timeout=timeout, work_dir=output_dir, kernel_name=kernel_name)

    @property
    def code_extractor(self) -> CodeExtractor:
        """The markdown extractor."""
        return MarkdownCodeExtractor()

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> IPythonCodeResult:  # type: ignore[override]
        """Run the blocks in the kernel; images go to output_dir."""
        blocks = [_RoomBlock(b.code, b.language) for b in code_blocks]
        return IPythonCodeResult.from_result(super().execute_code_blocks(blocks))
