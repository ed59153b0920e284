"""Classic ``autogen.coding.jupyter.jupyter_code_executor`` over convogen's kernel executor."""

from __future__ import annotations

from pathlib import Path

from convogen.coding.jupyter._kernel import ClassicKernelExecutor
from convogen.coding.jupyter.local_jupyter_server import LocalJupyterServer
from convogen.errors import ConfigError


class JupyterCodeExecutor(ClassicKernelExecutor):
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
        super().__init__(timeout=timeout, output_dir=output_dir, kernel_name=kernel_name)
