"""The embedded local model: a GGUF chat model (by default SmolLM2-135M-Instruct) on llama.cpp.

Importing this package is cheap (llama.cpp loads with the first model) and registers the
``api_type`` "local" for config entries such as
``{"model": "smollm2", "api_type": "local", "model_path": "/path/model.gguf"}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from convogen.llm.factory import register_api_type
from convogen.llm.local.choose import a_choose_one, choose_one
from convogen.llm.local.client import LocalModelClient
from convogen.llm.local.engine import DEFAULT_N_CTX, LocalModel, ModelSettings, get_local_model
from convogen.llm.local.model_file import (
    DEFAULT_MODEL_NAME,
    default_model_path,
    llama_cpp_available,
)

if TYPE_CHECKING:
    from convogen.llm.protocol import ModelClient


def local_client_factory(entry: dict[str, Any]) -> ModelClient:
    """Build a ``LocalModelClient`` from a config entry (the factory of api_type 'local')."""
    return LocalModelClient(entry)


register_api_type("local", local_client_factory)

__all__ = [
    "DEFAULT_MODEL_NAME",
    "DEFAULT_N_CTX",
    "LocalModel",
    "LocalModelClient",
    "ModelSettings",
    "a_choose_one",
    "choose_one",
    "default_model_path",
    "get_local_model",
    "llama_cpp_available",
    "local_client_factory",
]
