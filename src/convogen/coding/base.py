"""Classic ``autogen.coding.base``: the typed values and protocols of code executors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Protocol, TypedDict, runtime_checkable

from pydantic import BaseModel, Field

from convogen.code.protocol import CodeResult as RoomCodeResult


class CodeBlock(BaseModel):
    """A block of code and its language."""

    code: str = Field(description="The code to execute.")
    language: str = Field(description="The language of the code.")


class CodeResult(BaseModel):
    """What running code blocks produced: exit code and output (plus produced files)."""

    exit_code: int = Field(description="The exit code of the code execution.")
    output: str = Field(description="The output of the code execution.")
    # convogen extension: files the code created or changed (the agent reports them).
    files: list[Path] = Field(default_factory=list)


class CommandLineCodeResult(CodeResult):
    """A command-line run's result, with the first code file written."""

    code_file: str | None = Field(default=None, description="The file the code was written to.")

    @classmethod
    def from_result(cls, result: RoomCodeResult) -> CommandLineCodeResult:
        """Convert a result of convogen's executors."""
        code_file = str(result.code_file) if result.code_file is not None else None
        return cls(
            exit_code=result.exit_code,
            output=result.output,
            files=list(result.files),
            code_file=code_file,
        )


class IPythonCodeResult(CodeResult):
    """An IPython run's result, with the files its outputs were saved to."""

    output_files: list[str] = Field(default_factory=list, description="Saved output files.")

    @classmethod
    def from_result(cls, result: RoomCodeResult) -> IPythonCodeResult:
        """Convert a result of convogen's Jupyter executor."""
        files = list(result.files)
        return cls(
            exit_code=result.exit_code,
            output=result.output,
            files=files,
            output_files=[str(f) for f in files],
        )


@runtime_checkable
class CodeExtractor(Protocol):
    """Finds code blocks in a message."""

    def extract_code_blocks(self, message: str | list[dict[str, Any]] | None) -> list[CodeBlock]:
        """The code blocks of the message."""
        ...


@runtime_checkable
class CodeExecutor(Protocol):
    """Executes code blocks and returns the result (0.2's protocol)."""

    @property
    def code_extractor(self) -> CodeExtractor:
        """The extractor an agent uses to find code for this executor."""
        ...

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        """Run the blocks in order and return the result."""
        ...

    def restart(self) -> None:
        """Reset any state kept between runs."""
        ...


# The ``code_execution_config`` dict of an agent (keys with dashes: functional syntax).
CodeExecutionConfig = TypedDict(
    "CodeExecutionConfig",
    {
        "executor": Literal["ipython-embedded", "commandline-local"] | CodeExecutor,
        "last_n_messages": int | Literal["auto"],
        "work_dir": str,
        "use_docker": bool | str | list[str],
        "timeout": int,
        "ipython-embedded": dict[str, Any],
        "commandline-local": dict[str, Any],
    },
    total=False,
)
