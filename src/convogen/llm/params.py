"""Checks of request parameters for custom clients: bounded values and when to hide tools."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from convogen.errors import ConfigError


class ParameterCheckError(ConfigError, TypeError):
    """A misused parameter check: a ``ConfigError`` that is also 0.2's ``TypeError``."""


def _bound_problem(value: Any, bound: tuple[Any, Any], allow_none: bool) -> str:
    low, high = bound
    if (low is None or value >= low) and (high is None or value <= high):
        return ""
    limits = [f">= {low}" if low is not None else "", f"<= {high}" if high is not None else ""]
    text = "has numerical bounds, " + " and ".join(x for x in limits if x)
    return text + (", or can be None" if allow_none else "")


def validate_parameter(
    params: Mapping[str, Any],
    param_name: str,
    allowed_types: type | tuple[type, ...],
    allow_None: bool,
    default_value: Any,
    numerical_bound: tuple[Any, Any] | None,
    allowed_values: list[Any] | None,
) -> Any:
    """``params[param_name]`` when valid, else ``default_value`` with a ``UserWarning``."""
    if allowed_values is not None and not isinstance(allowed_values, list):
        raise ParameterCheckError("allowed_values", allowed_values, "must be a list or None")
    value = params.get(param_name, default_value)
    problem = ""
    if value is None:
        problem = "" if allow_None else "cannot be None"
    elif not isinstance(value, allowed_types):
        names = allowed_types if isinstance(allowed_types, tuple) else (allowed_types,)
        problem = f"must be of type ({', '.join(t.__name__ for t in names)})"
        problem += " or None" if allow_None else ""
    elif numerical_bound:
        problem = _bound_problem(value, numerical_bound, allow_None)
    elif allowed_values and value not in allowed_values:
        problem = f"must be one of these values [{allowed_values}]"
        problem += ", or can be None" if allow_None else ""
    if problem:
        warnings.warn(
            f"Config error - {param_name} {problem}, defaulting to {default_value}.",
            UserWarning,
            stacklevel=2,
        )
        return default_value
    return value


def _all_tools_ran(
    messages: Sequence[Mapping[str, Any]], tools: Sequence[Mapping[str, Any]]
) -> bool:
    pending = [tool["function"]["name"] for tool in tools]
    called: dict[str, str] = {}
    for message in messages:
        for call in message.get("tool_calls") or ():
            called[call["id"]] = call["function"]["name"]
        name = called.get(message.get("tool_call_id", ""))
        if name in pending:
            pending.remove(name)
    return not pending


def should_hide_tools(
    messages: Sequence[Mapping[str, Any]],
    tools: Sequence[Mapping[str, Any]] | None,
    hide_tools_param: str,
) -> bool:
    """Whether to stop offering ``tools``: 'never', 'if_any_run' or 'if_all_run' of them ran."""
    if hide_tools_param not in ("never", "if_any_run", "if_all_run"):
        raise ParameterCheckError(
            "hide_tools_param", hide_tools_param, "use 'if_all_run', 'if_any_run' or 'never'"
        )
    if hide_tools_param == "never" or not tools:
        return False
    if hide_tools_param == "if_any_run":
        return any("tool_call_id" in message for message in messages)
    return _all_tools_ran(messages, tools)


__all__ = ["ParameterCheckError", "should_hide_tools", "validate_parameter"]
