"""The one protocol every model client implements, and the typed response it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from convogen.messages import Message


@dataclass(frozen=True)
class Usage:
    """Token counts of one completion."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class ModelResponse:
    """A completion: one message per choice, with usage and (when known) dollar cost."""

    choices: list[Message]
    model: str
    usage: Usage = field(default_factory=Usage)
    cost: float | None = None
    cached: bool = False
    raw: Any = None

    @property
    def message(self) -> Message:
        """The first choice."""
        return self.choices[0]

    @property
    def text(self) -> str | None:
        content = self.message.get("content")
        return content if isinstance(content, str) else None


@dataclass
class ModelRequest:
    """What a client is asked: messages plus options (temperature, max_tokens, tools, ...)."""

    messages: list[Message]
    params: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class ModelClient(Protocol):
    """Creates a completion from messages and options."""

    model: str

    async def create(self, request: ModelRequest) -> ModelResponse:
        """Return a completion for ``request``; raise ``ModelClientError`` on failure."""
        ...
