"""Classic ``autogen.coding.jupyter.embedded_ipython_code_executor``: a private local kernel."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from convogen.coding.jupyter._kernel import ClassicKernelExecutor
from convogen.errors import ConfigError


class EmbeddedIPythonCodeExecutor(ClassicKernelExecutor):
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
        if not Path(output_dir).is_dir():
            raise ConfigError("output_dir", str(output_dir), "does not exist")
        super().__init__(timeout=timeout, output_dir=output_dir, kernel_name=kernel_name)
