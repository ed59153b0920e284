"""Constrained choice: asking a model for exactly one of a few strings, by what it can do.

A client that declares ``constrained_choices`` gets ``choices`` (a grammar forces the reply);
one that declares ``json_schema_output`` gets a JSON schema whose field is an enum of them;
any other is asked in free text and the caller checks the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from convogen.errors import ConfigError
from convogen.llm.protocol import ClientCapabilities, ModelResponse

ChoiceMethod = Literal["grammar", "json_schema", "free_text"]


@dataclass(frozen=True)
class ChoiceReply:
    """A reply to a constrained choice, and how the choice was constrained.

    ``schema_refused``: the server refused the JSON schema and was asked again in free text.
    """

    response: ModelResponse
    method: ChoiceMethod
    schema_refused: bool = False


def choice_method(capabilities: ClientCapabilities, allow_json_schema: bool) -> ChoiceMethod:
    """The strongest constraint a client with ``capabilities`` enforces."""
    if capabilities.constrained_choices:
        return "grammar"
    if capabilities.json_schema_output and allow_json_schema:
        return "json_schema"
    return "free_text"


def check_choices(choices: object) -> list[str]:
    """``choices`` as a list when it is a non-empty list of strings; else ``ConfigError``."""
    if isinstance(choices, (list, tuple)) and choices and all(isinstance(c, str) for c in choices):
        return list(choices)
    raise ConfigError("choices", choices, "must be a non-empty list of strings")


def choice_params(
    method: ChoiceMethod, choices: list[str], *, name: str, key: str
) -> dict[str, Any]:
    """The request params that apply ``method`` to ``choices``."""
    if method == "grammar":
        return {"choices": choices}
    if method == "json_schema":
        return {"response_format": choice_schema(choices, name=name, key=key)}
    return {}


def choice_schema(choices: list[str], *, name: str, key: str) -> dict[str, Any]:
    """A ``response_format`` asking for ``{key: <one of choices>}``."""
    return {
        "type": "json_schema",
        "json_schema": {
            "name": name,
            "strict": True,
            "schema": {
                "type": "object",
                "properties": {key: {"type": "string", "enum": choices}},
                "required": [key],
                "additionalProperties": False,
            },
        },
    }
