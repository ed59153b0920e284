"""Token counts and context-window sizes of OpenAI models.

Counts use ``tiktoken`` when it is installed and its encoding is available offline; otherwise
an estimate of one token per four characters (close for English text; never a hard limit).
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from convogen.errors import ConfigError

logger = logging.getLogger(__name__)

_MAX_TOKENS: dict[str, int] = {
    "gpt-3.5-turbo": 16385,
    "gpt-3.5-turbo-0125": 16385,
    "gpt-3.5-turbo-0301": 4096,
    "gpt-3.5-turbo-0613": 4096,
    "gpt-3.5-turbo-instruct": 4096,
    "gpt-3.5-turbo-16k": 16385,
    "gpt-3.5-turbo-16k-0613": 16385,
    "gpt-3.5-turbo-1106": 16385,
    "gpt-4": 8192,
    "gpt-4-0314": 8192,
    "gpt-4-0613": 8192,
    "gpt-4-32k": 32768,
    "gpt-4-32k-0314": 32768,
    "gpt-4-32k-0613": 32768,
}
_LONG_CONTEXT = ("gpt-4-turbo", "gpt-4-1106", "gpt-4-0125", "gpt-4-vision", "gpt-4o", "gpt-4.1")


def get_max_token_limit(model: str = "gpt-3.5-turbo-0613") -> int:
    """The context window of ``model`` (Azure names like "gpt-35-turbo" accepted)."""
    name = re.sub(r"^gpt-?35", "gpt-3.5", model)
    name = re.sub(r"^gpt4", "gpt-4", name)
    if name in _MAX_TOKENS:
        return _MAX_TOKENS[name]
    if name.startswith(_LONG_CONTEXT):
        return 1047576 if name.startswith("gpt-4.1") else 128000
    raise ConfigError("model", model, f"unknown context window; known: {sorted(_MAX_TOKENS)}")


@functools.cache
def _encoder(model: str) -> Callable[[str], int]:
    try:
        import tiktoken  # type: ignore[import-not-found, unused-ignore]

        try:
            encoding = tiktoken.encoding_for_model(model)
        except KeyError:
            encoding = tiktoken.get_encoding("cl100k_base")
        return lambda text: len(encoding.encode(text))
    except Exception:  # not installed, or its encoding file cannot be fetched offline
        return lambda text: math.ceil(len(text) / 4)


def _text_tokens(text: str, model: str) -> int:
    return _encoder(model)(text) if text else 0


def _message_tokens(messages: Sequence[Any] | Mapping[str, Any], model: str) -> int:
    if isinstance(messages, Mapping):
        messages = [messages]
    total = 3  # every reply is primed with <|start|>assistant<|message|>
    for message in messages:
        total += 3
        if not isinstance(message, Mapping):
            total += _text_tokens(str(message), model)
            continue
        for key, value in message.items():
            if value is None:
                continue
            text = value if isinstance(value, str) else json.dumps(value, default=str)
            total += _text_tokens(text, model) + (1 if key == "name" else 0)
    return total


def count_token(input: str | list[Any] | dict[str, Any], model: str = "gpt-3.5-turbo-0613") -> int:
    """Tokens of a text, a message or a list of messages."""
    if isinstance(input, str):
        return _text_tokens(input, model)
    if isinstance(input, (list, dict)):
        return _message_tokens(input, model)
    raise ConfigError("input", type(input).__name__, "must be a str, a message dict or a list")


def token_left(input: str | list[Any] | dict[str, Any], model: str = "gpt-3.5-turbo-0613") -> int:
    """Tokens left in the context window of ``model`` after ``input``."""
    return get_max_token_limit(model) - count_token(input, model=model)


def percentile_used(
    input: str | list[Any] | dict[str, Any], model: str = "gpt-3.5-turbo-0613"
) -> float:
    """The fraction of the context window of ``model`` that ``input`` takes."""
    return count_token(input, model=model) / get_max_token_limit(model)


def num_tokens_from_functions(
    functions: Sequence[Mapping[str, Any]], model: str = "gpt-3.5-turbo-0613"
) -> int:
    """Tokens that function (tool) definitions add to a request."""
    total = 12
    for function in functions:
        total += _text_tokens(str(function.get("name", "")), model)
        total += _text_tokens(str(function.get("description", "")), model)
        parameters = function.get("parameters")
        if parameters:
            total += 11 + _text_tokens(json.dumps(parameters, sort_keys=True), model)
    return total


__all__ = [
    "count_token",
    "get_max_token_limit",
    "num_tokens_from_functions",
    "percentile_used",
    "token_left",
]
