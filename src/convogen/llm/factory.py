"""Build a model client from one config-list entry, by its ``api_type``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from convogen.errors import ConfigError
from convogen.llm.protocol import ModelClient
from convogen.llm.scripted import ScriptedModelClient

ClientFactory = Callable[[dict[str, Any]], ModelClient]

_FACTORIES: dict[str, ClientFactory] = {}


def register_api_type(api_type: str, factory: ClientFactory) -> None:
    """Make ``api_type`` in config entries build clients with ``factory``."""
    _FACTORIES[api_type] = factory


def _scripted(entry: dict[str, Any]) -> ModelClient:
    return ScriptedModelClient(config=entry)


def _openai(entry: dict[str, Any]) -> ModelClient:
    try:
        from convogen.llm.openai_client import OpenAIClient
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ConfigError(
            "api_type", entry.get("api_type"), f"OpenAI client unavailable: {exc}"
        ) from exc
    return OpenAIClient(entry)


def _local(entry: dict[str, Any]) -> ModelClient:
    from convogen.llm.local.client import LocalModelClient

    return LocalModelClient(entry)


register_api_type("scripted", _scripted)
register_api_type("local", _local)
register_api_type("openai", _openai)
register_api_type("azure", _openai)


def build_client(entry: dict[str, Any]) -> ModelClient:
    """Return a client for ``entry``; the default ``api_type`` is 'openai'."""
    api_type = entry.get("api_type", "openai")
    factory = _FACTORIES.get(api_type)
    if factory is None:
        raise ConfigError("api_type", api_type, f"unknown api_type; known: {sorted(_FACTORIES)}")
    return factory(entry)
