"""Structured output: pydantic models as ``response_format``, and validation of replies.

The protocol's ``ModelResponse`` stays unchanged: the wrapper sends the model's JSON schema,
validates every choice, and ``OpenAIWrapper.a_create_structured`` returns the parsed objects
next to the response (``ParsedResponse``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from convogen.llm.errors import StructuredOutputError
from convogen.llm.protocol import ModelResponse

T = TypeVar("T", bound=BaseModel)


def is_model_class(value: object) -> bool:
    """True for a pydantic ``BaseModel`` subclass (not an instance)."""
    return isinstance(value, type) and issubclass(value, BaseModel)


def response_format_for(model_cls: type[BaseModel]) -> dict[str, Any]:
    """The ``json_schema`` response_format of an OpenAI-compatible API for ``model_cls``.

    ``strict`` stays off: pydantic schemas with defaults or optional fields are not valid
    strict schemas, and replies are validated here anyway.
    """
    return {
        "type": "json_schema",
        "json_schema": {
            "name": model_cls.__name__,
            "schema": model_cls.model_json_schema(),
            "strict": False,
        },
    }


def parse_choices(response: ModelResponse, model_cls: type[T]) -> list[T]:
    """Validate each choice's content as ``model_cls``; ``StructuredOutputError`` if one fails."""
    parsed: list[T] = []
    for index, choice in enumerate(response.choices):
        content = choice.get("content")
        if not isinstance(content, str):
            raise StructuredOutputError(
                f"choice {index} has no text content to parse as {model_cls.__name__}",
                model=response.model,
                content=content,
            )
        try:
            parsed.append(model_cls.model_validate_json(content))
        except ValidationError as exc:
            raise StructuredOutputError(
                f"choice {index} of {response.model} does not validate as "
                f"{model_cls.__name__}: {exc.error_count()} error(s): {exc.errors()[:3]}; "
                f"content={content[:200]!r}",
                model=response.model,
                content=content,
            ) from exc
    return parsed


@dataclass
class ParsedResponse(Generic[T]):
    """A completion with each choice parsed into the requested pydantic model."""

    parsed: T
    choices: list[T]
    response: ModelResponse
