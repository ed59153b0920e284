"""convogen: LLM-backed agents that converse with each other, tools, code and people.

The classic AutoGen names are available here, so ``import convogen as autogen`` works.
``import convogen`` loads the agent layer only; group chats, model wrappers, config-list
helpers, ``logging``, the classic submodules (``convogen.oai``, ``convogen.coding``, ...) and
asyncio itself load on first use (PEP 562), which keeps the import fast.
"""

import importlib
from typing import TYPE_CHECKING, Any

from convogen.agents import (
    Agent,
    AssistantAgent,
    ConsoleIO,
    ConversableAgent,
    IOStream,
    ScriptedIO,
    UserProxyAgent,
    default_io,
    set_default_io,
)
from convogen.agents.registration import register_function
from convogen.errors import AgentNameConflictError as AgentNameConflict
from convogen.errors import ConfigError, ConvogenError
from convogen.errors import InvalidCarryOverTypeError as InvalidCarryOverType
from convogen.errors import NoEligibleSpeakerError as NoEligibleSpeaker
from convogen.errors import SenderRequiredError as SenderRequired
from convogen.errors import UndefinedNextAgentError as UndefinedNextAgent
from convogen.results import ChatResult, StopReason
from convogen.version import __version__

if TYPE_CHECKING:
    import logging

    from convogen import agentchat as agentchat
    from convogen import cache as cache
    from convogen import code_utils as code_utils
    from convogen import coding as coding
    from convogen import exception_utils as exception_utils
    from convogen import formatting_utils as formatting_utils
    from convogen import function_utils as function_utils
    from convogen import graph_utils as graph_utils
    from convogen import io as io
    from convogen import oai as oai
    from convogen import runtime_logging as runtime_logging
    from convogen import token_count_utils as token_count_utils
    from convogen import types as types
    from convogen import version as version
    from convogen.cache import Cache
    from convogen.chat import a_initiate_chats, initiate_chats
    from convogen.chat.usage import gather_usage_summary
    from convogen.code_utils import DEFAULT_MODEL, FAST_MODEL
    from convogen.groupchat import GroupChat, GroupChatManager
    from convogen.llm import ModelResponse, OpenAIWrapper, ScriptedModelClient
    from convogen.llm.classic_client import ClassicModelClient as ModelClient
    from convogen.llm.completion import ChatCompletion, Completion
    from convogen.llm.config_list import (
        config_list_from_dotenv,
        config_list_from_json,
        config_list_from_models,
        config_list_gpt4_gpt35,
        config_list_openai_aoai,
        filter_config,
        get_config_list,
    )
    from convogen.llm.scripted import scripted_llm_config

    logger: logging.Logger

_CONFIG_LIST_NAMES = (
    "config_list_from_dotenv",
    "config_list_from_json",
    "config_list_from_models",
    "config_list_gpt4_gpt35",
    "config_list_openai_aoai",
    "filter_config",
    "get_config_list",
)

# Names whose modules are not needed to define agents: loaded on first use (PEP 562), which
# keeps ``import convogen`` to the agent layer. Name -> (module, attribute in that module).
_LAZY_NAMES: dict[str, tuple[str, str]] = {
    "Cache": ("convogen.cache", "Cache"),
    "ChatCompletion": ("convogen.llm.completion", "ChatCompletion"),
    "Completion": ("convogen.llm.completion", "Completion"),
    "DEFAULT_MODEL": ("convogen.code_utils", "DEFAULT_MODEL"),
    "FAST_MODEL": ("convogen.code_utils", "FAST_MODEL"),
    "GroupChat": ("convogen.groupchat", "GroupChat"),
    "GroupChatManager": ("convogen.groupchat", "GroupChatManager"),
    "ModelClient": ("convogen.llm.classic_client", "ClassicModelClient"),
    "ModelResponse": ("convogen.llm.protocol", "ModelResponse"),
    "OpenAIWrapper": ("convogen.llm.wrapper", "OpenAIWrapper"),
    "ScriptedModelClient": ("convogen.llm.scripted", "ScriptedModelClient"),
    "a_initiate_chats": ("convogen.chat", "a_initiate_chats"),
    "gather_usage_summary": ("convogen.chat.usage", "gather_usage_summary"),
    "initiate_chats": ("convogen.chat", "initiate_chats"),
    "scripted_llm_config": ("convogen.llm.scripted", "scripted_llm_config"),
    **{name: ("convogen.llm.config_list", name) for name in _CONFIG_LIST_NAMES},
}
_SUBMODULES = frozenset(
    {"agentchat", "cache", "code_utils", "coding", "exception_utils", "formatting_utils"}
    | {"function_utils", "graph_utils", "io", "oai", "runtime_logging", "token_count_utils"}
    | {"types", "version", "retrieve_utils"}
)


# ``convogen.logging`` and ``convogen.logger`` are classic names; importing logging costs more
# than most agent modules, so it also waits for first use (loggers are created on demand anyway).
_LOGGING_NAMES = frozenset({"logging", "logger"})


def _load(name: str) -> Any:
    if name == "logging":
        return importlib.import_module("logging")
    if name == "logger":
        return importlib.import_module("logging").getLogger(__name__)
    module, attribute = _LAZY_NAMES[name]
    return getattr(importlib.import_module(module), attribute)


def __getattr__(name: str) -> Any:
    """Load classic submodules and names on first access (PEP 562)."""
    if name in _LAZY_NAMES or name in _LOGGING_NAMES:
        value = _load(name)
        globals()[name] = value  # later lookups skip this hook
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"convogen.{name}")
    raise AttributeError(f"module 'convogen' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's attributes, including the names and submodules not loaded yet."""
    return sorted(set(globals()) | set(_LAZY_NAMES) | _LOGGING_NAMES | _SUBMODULES)


__all__ = [
    "DEFAULT_MODEL",
    "FAST_MODEL",
    "Agent",
    "AgentNameConflict",
    "Any",
    "AssistantAgent",
    "Cache",
    "ChatCompletion",
    "ChatResult",
    "Completion",
    "ConfigError",
    "ConsoleIO",
    "ConversableAgent",
    "ConvogenError",
    "GroupChat",
    "GroupChatManager",
    "IOStream",
    "InvalidCarryOverType",
    "ModelClient",
    "ModelResponse",
    "NoEligibleSpeaker",
    "OpenAIWrapper",
    "ScriptedIO",
    "ScriptedModelClient",
    "SenderRequired",
    "StopReason",
    "UndefinedNextAgent",
    "UserProxyAgent",
    "__version__",
    "a_initiate_chats",
    "config_list_from_dotenv",
    "config_list_from_json",
    "config_list_from_models",
    "config_list_gpt4_gpt35",
    "config_list_openai_aoai",
    "default_io",
    "filter_config",
    "gather_usage_summary",
    "get_config_list",
    "initiate_chats",
    "logger",
    "logging",
    "register_function",
    "scripted_llm_config",
    "set_default_io",
]
