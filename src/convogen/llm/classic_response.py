"""The classic (openai-v1 shaped) view of a ``ModelResponse``: ``.choices[0].message.content``.

``OpenAIWrapper.create`` returns this view; the async ``a_create`` keeps returning the plain
``ModelResponse``. Attribute views are built on first access, so a turn that never looks at
them pays nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from convogen.llm.protocol import ModelResponse, Usage


class AttributeView:
    """Read-only attribute access over a JSON mapping (nested mappings become views too)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _view(self._data.get(name))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The raw value of ``key``, like ``dict.get``."""
        return self._data.get(key, default)

    def model_dump(self) -> dict[str, Any]:
        """A plain dict copy (as pydantic objects of the openai SDK offer)."""
        return dict(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AttributeView):
            return self._data == other._data
        return self._data == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self._data)!r})"


def _view(value: Any) -> Any:
    if isinstance(value, Mapping):
        return AttributeView(value)
    if isinstance(value, list):
        return [_view(item) for item in value]
    return value


class ClassicChoice:
    """One choice: ``index``, ``message`` (attribute view) and ``finish_reason``."""

    __slots__ = ("finish_reason", "index", "message")

    def __init__(self, index: int, message: Mapping[str, Any], finish_reason: str | None) -> None:
        self.index = index
        self.message = AttributeView(message)
        self.finish_reason = finish_reason

    def __repr__(self) -> str:
        return f"ClassicChoice(index={self.index}, message={self.message!r})"


class ClassicUsage:
    """``prompt_tokens``, ``completion_tokens`` and ``total_tokens`` of one completion."""

    __slots__ = ("completion_tokens", "prompt_tokens", "total_tokens")

    def __init__(self, usage: Usage) -> None:
        self.prompt_tokens = usage.prompt_tokens
        self.completion_tokens = usage.completion_tokens
        self.total_tokens = usage.total_tokens


def _finish_reasons(raw: Any, count: int) -> list[str | None]:
    reasons: list[str | None] = [None] * count
    choices = raw.get("choices") if isinstance(raw, Mapping) else None
    if isinstance(choices, list):
        for position, choice in enumerate(choices[:count]):
            if isinstance(choice, Mapping):
                reasons[position] = choice.get("finish_reason")
    return reasons


class ClassicResponse:
    """A ``ModelResponse`` seen as an openai-v1 ``ChatCompletion`` (plus ``cost``)."""

    def __init__(self, response: ModelResponse) -> None:
        self.response = response

    @cached_property
    def choices(self) -> list[ClassicChoice]:
        """The choices as objects: ``choices[0].message.content``."""
        messages = self.response.choices
        reasons = _finish_reasons(self.response.raw, len(messages))
        return [
            ClassicChoice(i, message, reasons[i] or _default_reason(message))
            for i, message in enumerate(messages)
        ]

    @cached_property
    def usage(self) -> ClassicUsage:
        """Token counts of the completion."""
        return ClassicUsage(self.response.usage)

    @cached_property
    def id(self) -> str:
        """The server's completion id, or a generated one when the client gave none."""
        raw = self.response.raw
        if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
            return str(raw["id"])
        import uuid  # rarely needed: most servers send an id

        return f"chatcmpl-{uuid.uuid4().hex}"

    @property
    def model(self) -> str:
        """The model that answered."""
        return self.response.model

    @property
    def cost(self) -> float:
        """Dollar cost (0.0 when the price is unknown, as in 0.2)."""
        return self.response.cost or 0.0

    @property
    def cached(self) -> bool:
        """True when the response came from the cache."""
        return self.response.cached

    @property
    def text(self) -> str | None:
        """Text of the first choice."""
        return self.response.text

    @property
    def object(self) -> str:
        """'chat.completion', as the openai SDK reports."""
        return "chat.completion"

    def __repr__(self) -> str:
        return f"ClassicResponse(model={self.model!r}, choices={self.response.choices!r})"


def _default_reason(message: Mapping[str, Any]) -> str:
    if message.get("tool_calls"):
        return "tool_calls"
    if message.get("function_call"):
        return "function_call"
    return "stop"


def unwrap(response: ModelResponse | ClassicResponse) -> ModelResponse:
    """The ``ModelResponse`` behind either form."""
    return response.response if isinstance(response, ClassicResponse) else response


__all__ = ["AttributeView", "ClassicChoice", "ClassicResponse", "ClassicUsage", "unwrap"]
