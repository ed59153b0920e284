"""Error classes of convogen: one base error, specific subclasses for each boundary."""

from __future__ import annotations

from convogen.redaction import redact_named, redact_text


class ConvogenError(Exception):
    """Base class of every error raised by convogen."""


class ConfigError(ConvogenError, ValueError):
    """A configuration value (agent argument, llm_config, config list entry) is invalid."""

    def __init__(self, field: str, value: object, problem: str) -> None:
        # The value is kept and shown with its credentials masked: errors end up in logs,
        # cassettes and checkpoints, none of which may hold a secret.
        self.field = field
        self.value = redact_named(field, value)
        self.problem = redact_text(problem)
        shown = redact_text(repr(self.value))
        if len(shown) > 200:
            shown = shown[:197] + "..."
        super().__init__(f"invalid {field}={shown}: {self.problem}")


class MessageError(ConvogenError, ValueError):
    """A message does not have the shape of a chat message."""


class ModelClientError(ConvogenError):
    """A model client failed to produce a completion."""


class AllModelsFailedError(ModelClientError):
    """Every entry of a config list failed; carries each entry's error."""

    def __init__(self, errors: list[tuple[str, BaseException]]) -> None:
        self.errors = errors
        lines = "; ".join(f"{model}: {type(err).__name__}: {err}" for model, err in errors)
        super().__init__(redact_text(f"all {len(errors)} model configurations failed: {lines}"))


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


# The errors below carry AutoGen 0.2's constructor shapes and default messages, so that
# `convogen.exception_utils` can expose them under 0.2's names while convogen-style
# `except ConfigError` / `except ChatError` clauses still catch them.


class AgentNameConflictError(ConfigError):
    """Two or more agents of one group share a name."""

    def __init__(
        self,
        msg: str = "Found multiple agents with the same name.",
        *args: object,
        **kwargs: object,
    ) -> None:
        self.field = "agents"
        self.value = None
        self.problem = msg
        self.message = msg
        Exception.__init__(self, msg, *args, **kwargs)


class NoEligibleSpeakerError(ChatError):
    """No agent may speak next in a group chat; the chat ends early."""

    def __init__(self, message: str = "No eligible speakers.") -> None:
        self.message = message
        super().__init__(message)


class MessagesOrSenderRequiredError(ChatError, AssertionError):
    """``generate_reply`` got neither messages nor a sender (an ``AssertionError`` in 0.2)."""

    def __init__(self, message: str = "Either messages or sender must be provided.") -> None:
        self.message = message
        super().__init__(message)


class ClassicConfigError(ConfigError):
    """A ``ConfigError`` whose text is AutoGen 0.2's own sentence (which names the field)."""

    def __init__(self, field: str, value: object, message: str) -> None:
        super().__init__(field, value, message)
        self.args = (message,)

    def __str__(self) -> str:
        return self.problem


class NoLLMConfigError(ConfigError, AssertionError):
    """An agent without ``llm_config`` was asked to offer tools to a model."""

    def __init__(self, problem: str) -> None:
        super().__init__("llm_config", False, problem)


class ToolDescriptionMissingError(ConfigError):
    """A function offered to a model has neither a description nor a docstring."""

    def __init__(self, message: str = "Function description is required, none found.") -> None:
        self.field = "description"
        self.value = None
        self.problem = message
        Exception.__init__(self, message)


class NoFunctionExecutorError(ChatError, ValueError):
    """A group chat message calls a function no member can execute."""


class SenderRequiredError(ChatError):
    """An operation needs the sending agent but none was given."""

    def __init__(self, message: str = "Sender is required but not provided.") -> None:
        self.message = message
        super().__init__(message)


class InvalidCarryOverTypeError(ConfigError):
    """A carryover is neither a string nor a list of strings."""

    def __init__(
        self,
        message: str = (
            "Carryover should be a string or a list of strings. "
            "Not adding carryover to the message."
        ),
    ) -> None:
        self.field = "carryover"
        self.value = None
        self.problem = message
        self.message = message
        Exception.__init__(self, message)


class UndefinedNextAgentError(ConfigError):
    """The agents offered as next speakers include none of the group's members."""

    def __init__(
        self, message: str = "The provided agents list does not overlap with agents in the group."
    ) -> None:
        self.field = "agents"
        self.value = None
        self.problem = message
        self.message = message
        Exception.__init__(self, message)
