"""The one protocol every code executor implements, and the typed values it exchanges."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class CodeBlock:
    """A block of code and its language ('python', 'sh', ... or 'unknown')."""

    code: str
    language: str


@dataclass
class CodeResult:
    """What running code blocks produced: exit code, combined output, files written."""

    exit_code: int
    output: str
    files: list[Path] = field(default_factory=list)
    # The first code file written (executors that write code to files set it).
    code_file: Path | None = None


@runtime_checkable
class CodeExecutor(Protocol):
    """Executes code blocks in a working directory."""

    @property
    def work_dir(self) -> Path:
        """Where code runs and where produced files land."""
        ...

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        """Run the blocks in order, stopping at the first failure."""
        ...

    def restart(self) -> None:
        """Reset any state kept between calls (kernels, containers)."""
        ...
