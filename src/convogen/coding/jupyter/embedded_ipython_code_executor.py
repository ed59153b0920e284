"""Classic ``autogen.coding.jupyter.embedded_ipython_code_executor``: a private local kernel."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from convogen.code.jupyter import JupyterCodeExecutor as _RoomJupyterExecutor
from convogen.code.protocol import CodeBlock as _RoomBlock
from convogen.coding.base import CodeBlock, CodeExtractor, IPythonCodeResult
from convogen.coding.markdown_code_extractor import MarkdownCodeExtractor
from convogen.errors import ConfigError


class EmbeddedIPythonCodeExecutor(_RoomJupyterExecutor):
    """Runs python blocks in an ipykernel kernel of its own; state persists between calls."""

    # 0.2 declared this executor as a pydantic model; its fields are the keyword arguments.
    model_config: ClassVar[dict[str, Any]] = {"arbitrary_types_allowed": True}

    def __init__(
        self,
        *,
        timeout: int = 60,
        kernel_name: str = "python3",
        output_dir: str | Path = ".",
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise ConfigError("EmbeddedIPythonCodeExecutor", sorted(kwargs), "unknown arguments")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout < 1:
            raise ConfigError("timeout", timeout, "must be at least 1 second")
        if not Path(output_dir).is_dir():
            raise ConfigError("output_dir", str(output_dir), "does not exist")
        super().__init__(timeout=timeout, work_dir=output_dir, kernel_name=kernel_name)

    @property
    def code_extractor(self) -> CodeExtractor:
        """The markdown extractor."""
        return MarkdownCodeExtractor()

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> IPythonCodeResult:  # type: ignore[override]
        """Run the blocks in the kernel, stopping at the first failure."""
        blocks = [_RoomBlock(b.code, b.language) for b in code_blocks]
        return IPythonCodeResult.from_result(super().execute_code_blocks(blocks))
