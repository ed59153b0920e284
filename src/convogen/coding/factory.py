"""Classic ``autogen.coding.factory``: an executor from a ``code_execution_config``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from convogen.code.protocol import CodeExecutor as RoomCodeExecutor
from convogen.coding.base import CodeExecutionConfig, CodeExecutor

__all__ = ["CodeExecutorFactory"]


class CodeExecutorFactory:
    """Builds the executor a ``{"executor": ...}`` config names."""

    @staticmethod
    def create(code_execution_config: CodeExecutionConfig) -> CodeExecutor:
        """An executor instance as is; "commandline-local" / "ipython-embedded" built."""
        config: Mapping[str, Any] = code_execution_config
        executor = config.get("executor")
        if isinstance(executor, CodeExecutor | RoomCodeExecutor):
            return executor  # type: ignore[return-value]
        if executor == "commandline-local":
            from convogen.coding.local_commandline_code_executor import (
                LocalCommandLineCodeExecutor,
            )

            return LocalCommandLineCodeExecutor(**_kwargs(config, executor))
        if executor == "ipython-embedded":
            from convogen.coding.jupyter import EmbeddedIPythonCodeExecutor

            return EmbeddedIPythonCodeExecutor(**_kwargs(config, executor))
        raise ValueError(
            f"Unknown code executor {executor!r}: use 'commandline-local', 'ipython-embedded' "
            "or an executor instance"
        )


def _kwargs(config: Mapping[str, Any], name: str) -> dict[str, Any]:
    kwargs = config.get(name, {})
    if not isinstance(kwargs, Mapping):
        raise ValueError(f"code_execution_config[{name!r}] must be a dict, got {kwargs!r}")
    return dict(kwargs)
