"""The one protocol every model client implements, the typed response it returns, and what a
client declares it can do (``ClientCapabilities``, read only through ``capabilities_of``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from convogen.errors import ConfigError
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


@dataclass(frozen=True)
class ClientCapabilities:
    """What a client honours beyond plain completions; a client declares it as ``capabilities``.

    ``constrained_choices``: ``params["choices"]`` (a list of strings) makes the reply exactly
    one of them. ``json_schema_output``: a ``response_format`` of type ``json_schema`` (with an
    ``enum``) is enforced. ``observes_replays``: the client has ``note_replayed(request)`` and
    wants to hear of calls answered from a recording or journal instead of by itself.
    """

    constrained_choices: bool = False
    json_schema_output: bool = False
    observes_replays: bool = False


# What a client that declares nothing (a classic 0.2 client, most custom clients) can do.
NO_CAPABILITIES = ClientCapabilities()


@runtime_checkable
class ModelClient(Protocol):
    """Creates a completion from messages and options.

    A client may also declare ``capabilities: ClientCapabilities`` (a class attribute is
    enough); callers read it through ``capabilities_of``, never by probing attributes.
    """

    model: str

    async def create(self, request: ModelRequest) -> ModelResponse:
        """Return a completion for ``request``; raise ``ModelClientError`` on failure."""
        ...


@runtime_checkable
class ReplayObserver(Protocol):
    """A client that keeps count of the calls answered without it (``observes_replays``)."""

    def note_replayed(self, request: ModelRequest) -> None:
        """Count ``request`` as asked and answered from a recording or journal."""
        ...


def capabilities_of(client: object) -> ClientCapabilities:
    """The capabilities ``client`` declares, or ``NO_CAPABILITIES`` when it declares none."""
    declared = getattr(client, "capabilities", None)
    return declared if isinstance(declared, ClientCapabilities) else NO_CAPABILITIES


def replay_observer_of(client: object) -> ReplayObserver | None:
    """``client`` when it declares ``observes_replays`` (and so must have ``note_replayed``)."""
    if not capabilities_of(client).observes_replays:
        return None
    if not isinstance(client, ReplayObserver):
        raise ConfigError(
            "capabilities",
            type(client).__name__,
            "declares observes_replays=True but has no note_replayed(request) method",
        )
    return client
