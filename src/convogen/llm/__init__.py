"""Model clients and the enhanced inference layer.

Importing this package stays light: ``openai``, ``flaml``, ``pydantic`` helpers and the test
server load only when the names that need them are first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from convogen.llm.cache import Cache
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
from convogen.llm.pricing import completion_cost, model_price
from convogen.llm.protocol import ModelClient, ModelRequest, ModelResponse, Usage
from convogen.llm.retry import RetryPolicy
from convogen.llm.scripted import ScriptedModelClient
from convogen.llm.wrapper import OpenAIWrapper

if TYPE_CHECKING:
    from convogen.llm.completion import ChatCompletion, Completion
    from convogen.llm.openai_client import OpenAIClient
    from convogen.llm.structured import ParsedResponse
    from convogen.llm.test_server import Fault, OpenAICompatibleTestServer

_LAZY = {
    "ChatCompletion": "convogen.llm.completion",
    "Completion": "convogen.llm.completion",
    "OpenAIClient": "convogen.llm.openai_client",
    "ParsedResponse": "convogen.llm.structured",
    "Fault": "convogen.llm.test_server",
    "OpenAICompatibleTestServer": "convogen.llm.test_server",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'convogen.llm' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


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
