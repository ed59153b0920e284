"""Validation of agent constructor arguments, each with an error naming the argument."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, cast

from convogen.agents.termination import is_exact_terminate
from convogen.errors import ConfigError
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.code.config import CodeExecutionConfigView, CodeExecutionSettings

HumanInputMode = Literal["ALWAYS", "TERMINATE", "NEVER"]
HUMAN_INPUT_MODES: tuple[str, ...] = ("ALWAYS", "TERMINATE", "NEVER")
MAX_CONSECUTIVE_AUTO_REPLY = 100
TerminationCheck = Callable[[Message], bool]


# As in AutoGen 0.2, a message ends the chat by default only when its text is exactly
# TERMINATE; ``convogen.agents.termination.ends_with_terminate`` is the looser opt-in rule.
default_is_termination_msg = is_exact_terminate


def check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("name", name, "an agent needs a non-empty string name")
    return name


def check_human_input_mode(mode: object) -> HumanInputMode:
    if mode not in HUMAN_INPUT_MODES:
        raise ConfigError("human_input_mode", mode, f"must be one of {list(HUMAN_INPUT_MODES)}")
    return cast(HumanInputMode, mode)


def check_max_consecutive_auto_reply(
    value: object, default: int = MAX_CONSECUTIVE_AUTO_REPLY
) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError("max_consecutive_auto_reply", value, "must be an integer >= 0 or None")
    return value


def check_termination(check: object) -> TerminationCheck:
    if check is None:
        return default_is_termination_msg
    if not callable(check):
        raise ConfigError("is_termination_msg", check, "must be a function of a message dict")
    return cast(TerminationCheck, check)


def check_system_message(message: object) -> str | list[dict[str, Any]]:
    if isinstance(message, (str, list)):
        return message
    raise ConfigError("system_message", message, "must be a string (or a list of content parts)")


def check_code_execution_config(config: object) -> CodeExecutionConfigView | Literal[False]:
    """The 0.2 dict view of a validated ``code_execution_config``; False when execution is off."""
    if config is False or config is None:
        return False
    if not isinstance(config, dict):
        raise ConfigError(
            "code_execution_config", config, f"must be a dict or False, not {type(config).__name__}"
        )
    # The code room loads only for agents that execute code, not with ``import convogen``.
    from convogen.code.config import CodeExecutionConfigView

    return CodeExecutionConfigView(config)


def code_execution_settings(
    config: dict[str, Any] | Literal[False],
) -> CodeExecutionSettings | None:
    """The typed settings behind an agent's ``code_execution_config`` (None when off)."""
    if config is False:
        return None
    from convogen.code.config import settings_of

    return settings_of(config)


def check_default_auto_reply(reply: object) -> str | dict[str, Any]:
    if reply is None:
        return ""  # 0.2 accepts None: no default reply
    if isinstance(reply, (str, dict)):
        return reply
    raise ConfigError("default_auto_reply", reply, "must be a string or a message dict")
