"""Classic ``autogen.oai``: the inference layer (``OpenAIWrapper``, config lists, caches)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from convogen.cache import Cache
from convogen.llm.config_list import (
    config_list_from_dotenv,
    config_list_from_json,
    config_list_from_models,
    config_list_gpt4_gpt35,
    config_list_openai_aoai,
    filter_config,
    get_config_list,
)
from convogen.oai.client import ModelClient, OpenAIWrapper

if TYPE_CHECKING:
    from convogen.llm.completion import ChatCompletion, Completion

# Completion pulls in templates and tuning helpers: loaded on first use.
_LAZY = {"ChatCompletion": "convogen.oai.completion", "Completion": "convogen.oai.completion"}
_SUBMODULES = frozenset({"client", "client_utils", "completion", "openai_utils"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"convogen.oai.{name}")
    raise AttributeError(f"module 'convogen.oai' has no attribute {name!r}")


__all__ = [
    "Cache",
    "ChatCompletion",
    "Completion",
    "ModelClient",
    "OpenAIWrapper",
    "config_list_from_dotenv",
    "config_list_from_json",
    "config_list_from_models",
    "config_list_gpt4_gpt35",
    "config_list_openai_aoai",
    "filter_config",
    "get_config_list",
]
