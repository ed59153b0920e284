"""Classic ``autogen.coding.docker_commandline_code_executor`` over convogen's Docker executor.

Like 0.2, construction fails when no Docker engine answers.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from convogen.code.docker import DockerCommandLineCodeExecutor as _RoomDockerExecutor
from convogen.code.protocol import CodeBlock as _RoomBlock
from convogen.code_utils import TIMEOUT_MSG
from convogen.coding.base import CodeBlock, CodeExtractor, CommandLineCodeResult
from convogen.coding.markdown_code_extractor import MarkdownCodeExtractor

__all__ = ["TIMEOUT_MSG", "DockerCommandLineCodeExecutor"]


class DockerCommandLineCodeExecutor(_RoomDockerExecutor):
    """Runs python and shell blocks in one Docker container with work_dir mounted."""

    DEFAULT_EXECUTION_POLICY: ClassVar[dict[str, bool]] = {
        "bash": True,
        "shell": True,
        "sh": True,
        "pwsh": True,
        "powershell": True,
        "ps1": True,
        "python": True,
        "javascript": False,
        "html": False,
        "css": False,
    }
    LANGUAGE_ALIASES: ClassVar[dict[str, str]] = {"py": "python", "js": "javascript"}

    def __init__(
        self,
        image: str = "python:3-slim",
        container_name: str | None = None,
        timeout: int = 60,
        work_dir: Path | str = Path("."),
        bind_dir: Path | str | None = None,
        auto_remove: bool = True,
        stop_container: bool = True,
        execution_policies: Mapping[str, bool] | None = None,
    ) -> None:
        ignored = {
            "container_name": container_name is not None,
            "bind_dir": bind_dir is not None,
            "auto_remove": auto_remove is not True,
            "stop_container": stop_container is not True,
            "execution_policies": execution_policies is not None,
        }
        for name in (n for n, given in ignored.items() if given):
            warnings.warn(
                f"DockerCommandLineCodeExecutor ignores {name}: convogen names, mounts and "
                "removes its container itself and runs python and shell blocks only",
                UserWarning,
                stacklevel=2,
            )
        super().__init__(image=image, timeout=timeout, work_dir=work_dir)

    @property
    def bind_dir(self) -> Path:
        """The host directory mounted into the container (the work dir)."""
        return self.work_dir

    @property
    def code_extractor(self) -> CodeExtractor:
        """The markdown extractor."""
        return MarkdownCodeExtractor()

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CommandLineCodeResult:  # type: ignore[override]
        """Run the blocks in the container, stopping at the first failure."""
        blocks = [_RoomBlock(b.code, b.language) for b in code_blocks]
        return CommandLineCodeResult.from_result(super().execute_code_blocks(blocks))
