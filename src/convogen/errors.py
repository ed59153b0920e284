"""Error classes of convogen: one base error, specific subclasses for each boundary."""

from __future__ import annotations


class ConvogenError(Exception):
    """Base class of every error raised by convogen."""


class ConfigError(ConvogenError, ValueError):
    """A configuration value (agent argument, llm_config, config list entry) is invalid."""

    def __init__(self, field: str, value: object, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        shown = repr(value)
        if len(shown) > 200:
            shown = shown[:197] + "..."
        super().__init__(f"invalid {field}={shown}: {problem}")


class MessageError(ConvogenError, ValueError):
    """A message does not have the shape of a chat message."""


class ModelClientError(ConvogenError):
    """A model client failed to produce a completion."""


class AllModelsFailedError(ModelClientError):
    """Every entry of a config list failed; carries each entry's error."""

    def __init__(self, errors: list[tuple[str, BaseException]]) -> None:
        self.errors = errors
        lines = "; ".join(f"{model}: {type(err).__name__}: {err}" for model, err in errors)
        super().__init__(f"all {len(errors)} model configurations failed: {lines}")


class ScriptExhaustedError(ModelClientError):
    """A scripted model client was asked for more replies than its script holds."""


class HumanInputError(ConvogenError):
    """Human input could not be obtained (for example the input stream is closed)."""


class CodeExecutionError(ConvogenError):
    """Code could not be executed at all (not: the code ran and failed)."""


class SandboxUnavailableError(CodeExecutionError):
    """The sandbox cannot start; code is never run on the host instead."""


class ChatError(ConvogenError):
    """A chat could not be started or continued."""
