"""How tool failures are worded for the model: convogen's wording, or AutoGen 0.2's for agents."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ToolTexts:
    """The model-facing texts of the failures whose wording differs between the two styles."""

    unknown: Callable[[str, Sequence[str]], str]  # (name, available names)
    bad_json: Callable[[str, json.JSONDecodeError], str]  # (tool name, decoder error)
    raised: Callable[[BaseException], str]  # the exception the tool raised


def _plain_unknown(name: str, available: Sequence[str]) -> str:
    return f"Error: unknown tool {name!r}; available: {sorted(available)}"


def _plain_bad_json(name: str, error: json.JSONDecodeError) -> str:
    return (
        f"Error: the arguments for tool {name!r} are not valid JSON ({error}). "
        "Call the tool again with the arguments as one JSON object."
    )


def _plain_raised(error: BaseException) -> str:
    return f"Error: {type(error).__name__}: {error}"


def _classic_unknown(name: str, available: Sequence[str]) -> str:
    return f"Error: Function {name} not found."


def _classic_bad_json(name: str, error: json.JSONDecodeError) -> str:
    return f"Error: {error}\n The argument must be in JSON format."


def _classic_raised(error: BaseException) -> str:
    return f"Error: {error}"


PLAIN_TEXTS = ToolTexts(unknown=_plain_unknown, bad_json=_plain_bad_json, raised=_plain_raised)
# The sentences of 0.2's ``execute_function``: agents keep them, users match them.
CLASSIC_TEXTS = ToolTexts(
    unknown=_classic_unknown, bad_json=_classic_bad_json, raised=_classic_raised
)
