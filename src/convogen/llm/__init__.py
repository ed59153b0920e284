"""Model clients and the enhanced inference layer.

Importing this package loads nothing else: every name below loads its module on first use
(PEP 562), so ``from convogen.llm.config import ...`` does not pull the client, cache and
retry machinery, and ``openai``, ``flaml`` and ``pydantic`` stay unloaded until needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from convogen.llm.cache import Cache
    from convogen.llm.completion import ChatCompletion, Completion
    from convogen.llm.config_list import (
        config_list_from_dotenv,
        config_list_from_json,
        config_list_from_models,
        filter_config,
        get_config_list,
    )
    from convogen.llm.errors import (
        AuthenticationError,
        BadRequestError,
        BadResponseError,
        ContentFilterError,
        ModelAPIError,
        ModelConnectionError,
        ModelTimeoutError,
        RateLimitError,
        ServerError,
        StructuredOutputError,
    )
    from convogen.llm.openai_client import OpenAIClient
    from convogen.llm.pricing import completion_cost, model_price
    from convogen.llm.protocol import ModelClient, ModelRequest, ModelResponse, Usage
    from convogen.llm.retry import RetryPolicy
    from convogen.llm.scripted import ScriptedModelClient
    from convogen.llm.structured import ParsedResponse
    from convogen.llm.test_server import Fault, OpenAICompatibleTestServer
    from convogen.llm.wrapper import OpenAIWrapper


def _names(module: str, *names: str) -> dict[str, str]:
    return dict.fromkeys(names, f"convogen.llm.{module}")


# Public name -> the module that defines it.
_LAZY: dict[str, str] = {
    **_names("cache", "Cache"),
    **_names("completion", "ChatCompletion", "Completion"),
    **_names("config_list", "config_list_from_dotenv", "config_list_from_json"),
    **_names("config_list", "config_list_from_models", "filter_config", "get_config_list"),
    **_names("errors", "AuthenticationError", "BadRequestError", "BadResponseError"),
    **_names("errors", "ContentFilterError", "ModelAPIError", "ModelConnectionError"),
    **_names("errors", "ModelTimeoutError", "RateLimitError", "ServerError"),
    **_names("errors", "StructuredOutputError"),
    **_names("openai_client", "OpenAIClient"),
    **_names("pricing", "completion_cost", "model_price"),
    **_names("protocol", "ModelClient", "ModelRequest", "ModelResponse", "Usage"),
    **_names("retry", "RetryPolicy"),
    **_names("scripted", "ScriptedModelClient"),
    **_names("structured", "ParsedResponse"),
    **_names("test_server", "Fault", "OpenAICompatibleTestServer"),
    **_names("wrapper", "OpenAIWrapper"),
}


def __getattr__(name: str) -> Any:
    """Load a public name's module on first access (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'convogen.llm' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this hook
    return value


def __dir__() -> list[str]:
    """The module's attributes, including the names not loaded yet."""
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "BadResponseError",
    "Cache",
    "ChatCompletion",
    "Completion",
    "ContentFilterError",
    "Fault",
    "ModelAPIError",
    "ModelClient",
    "ModelConnectionError",
    "ModelRequest",
    "ModelResponse",
    "ModelTimeoutError",
    "OpenAIClient",
    "OpenAICompatibleTestServer",
    "OpenAIWrapper",
    "ParsedResponse",
    "RateLimitError",
    "RetryPolicy",
    "ScriptedModelClient",
    "ServerError",
    "StructuredOutputError",
    "Usage",
    "completion_cost",
    "config_list_from_dotenv",
    "config_list_from_json",
    "config_list_from_models",
    "filter_config",
    "get_config_list",
    "model_price",
]
