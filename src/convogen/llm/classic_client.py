"""Classic (AutoGen 0.2) custom model clients behind convogen's async client protocol.

A classic client has ``__init__(config, **kwargs)``, a synchronous ``create(params: dict)``,
``message_retrieval(response)``, ``cost(response)`` and a static ``get_usage(response)``.
Whether a class is classic is decided once, when it is registered: an ``async def create``
is convogen's protocol, a plain ``def create`` is the classic one.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol, cast

from convogen._sync import in_blocking_call
from convogen.errors import ConfigError
from convogen.llm.protocol import (
    NO_CAPABILITIES,
    ModelClient,
    ModelRequest,
    ModelResponse,
    Usage,
)
from convogen.messages import Message


class ClassicModelClient(Protocol):
    """AutoGen 0.2's custom model-client protocol (synchronous ``create(params)``)."""

    RESPONSE_USAGE_KEYS: ClassVar[list[str]] = [
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "cost",
        "model",
    ]

    class ModelClientResponseProtocol(Protocol):
        """What ``create`` returns: ``choices[i].message`` and ``model``."""

        class Choice(Protocol):
            """One choice of a response."""

            class Message(Protocol):
                """The message of a choice."""

                content: str | None

            message: Message

        choices: list[Choice]
        model: str

    def create(self, params: dict[str, Any]) -> ModelClientResponseProtocol:
        """Create a completion for ``params`` (``messages``, ``model``, options)."""
        ...

    def message_retrieval(self, response: ModelClientResponseProtocol) -> list[Any]:
        """The text (or message object) of each choice of ``response``."""
        ...

    def cost(self, response: ModelClientResponseProtocol) -> float:
        """The dollar cost of ``response``."""
        ...

    @staticmethod
    def get_usage(response: ModelClientResponseProtocol) -> dict[str, Any]:
        """``RESPONSE_USAGE_KEYS`` of ``response`` as a dict."""
        ...


class ModelClientNotRegisteredError(ConfigError, RuntimeError):
    """A config entry names a ``model_client_cls`` that was never registered."""


def is_classic_client_class(model_client_cls: type) -> bool:
    """True when ``create`` is synchronous (the 0.2 protocol), False for convogen's async one."""
    create = getattr(model_client_cls, "create", None)
    if create is None or not callable(create):
        raise ConfigError(
            "model_client_cls", model_client_cls.__name__, "the class has no create() method"
        )
    return not inspect.iscoroutinefunction(create)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """JSON-like data from SDK objects, namespaces, dataclass-like objects and mappings."""
    kind = type(value)
    # Exact built-in types first: one set lookup instead of the ABC checks below.
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {str(k): _plain(v) for k, v in value.items()}
    if kind is list:
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return _plain(dump())
    if hasattr(value, "__dict__"):
        return {k: _plain(v) for k, v in vars(value).items() if not k.startswith("_")}
    return str(value)


def to_message(item: Any) -> Message:
    """One retrieved choice (text or message object) as an assistant message."""
    if isinstance(item, str):
        return {"role": "assistant", "content": item}
    data = _plain(item)
    if not isinstance(data, dict):
        return {"role": "assistant", "content": str(item)}
    message: dict[str, Any] = {"role": "assistant", "content": data.get("content")}
    for key in ("tool_calls", "function_call"):
        if data.get(key):
            message[key] = data[key]
    return cast(Message, message)


def _int(usage: Mapping[str, Any], key: str) -> int:
    value = usage.get(key)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


class ClassicClientAdapter:
    """Runs a classic client's synchronous ``create``, off the event loop when that matters.

    Under a synchronous API (``initiate_chat``, ``OpenAIWrapper.create``) the loop serves only
    the waiting caller, so ``create`` runs inline as in 0.2; a worker thread would only add a
    hop. Elsewhere (an async app's loop), or with a ``timeout`` to enforce, it runs in a thread
    so the loop stays free.
    """

    # 0.2's protocol has no way to say what a client honours: it is asked plainly.
    capabilities = NO_CAPABILITIES

    def __init__(self, client: Any, config: Mapping[str, Any]) -> None:
        self.client = client
        self.model: str = str(config.get("model", type(client).__name__))

    async def create(self, request: ModelRequest) -> ModelResponse:
        """Call the classic client with 0.2's ``params`` dict and convert its response."""
        params = {"model": self.model, **request.params, "messages": list(request.messages)}
        if in_blocking_call() and "timeout" not in request.params:
            response = self.client.create(params)
        else:
            response = await asyncio.to_thread(self.client.create, params)
        retrieved = self.client.message_retrieval(response) or []
        usage = self.client.get_usage(response) or {}
        cost = usage.get("cost")
        if cost is None:
            cost = self.client.cost(response)
        model = usage.get("model") or getattr(response, "model", None) or self.model
        return ModelResponse(
            choices=[to_message(item) for item in retrieved],
            model=str(model),
            usage=Usage(_int(usage, "prompt_tokens"), _int(usage, "completion_tokens")),
            cost=float(cost) if isinstance(cost, (int, float)) else None,
            raw=_plain(response),
        )


def instantiate_client(
    model_client_cls: type, config: dict[str, Any], **kwargs: Any
) -> ModelClient:
    """An instance of ``model_client_cls`` for ``config``, adapted when it is a classic client."""
    if is_classic_client_class(model_client_cls):
        return ClassicClientAdapter(model_client_cls(config, **kwargs), config)
    return cast(ModelClient, model_client_cls(config=config, **kwargs))


__all__ = [
    "ClassicClientAdapter",
    "ClassicModelClient",
    "ModelClientNotRegisteredError",
    "instantiate_client",
    "is_classic_client_class",
    "to_message",
]
