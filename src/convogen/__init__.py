"""convogen: LLM-backed agents that converse with each other, tools, code and people.

The classic AutoGen names are available here, so ``import convogen as autogen`` works. The
classic submodules (``convogen.oai``, ``convogen.coding``, ...) and the heavier classic names
load on first use, which keeps ``import convogen`` fast.
"""

import importlib
import logging
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
from convogen.chat import a_initiate_chats, initiate_chats
from convogen.chat.usage import gather_usage_summary
from convogen.errors import AgentNameConflictError as AgentNameConflict
from convogen.errors import ConfigError, ConvogenError
from convogen.errors import InvalidCarryOverTypeError as InvalidCarryOverType
from convogen.errors import NoEligibleSpeakerError as NoEligibleSpeaker
from convogen.errors import SenderRequiredError as SenderRequired
from convogen.errors import UndefinedNextAgentError as UndefinedNextAgent
from convogen.groupchat import GroupChat, GroupChatManager
from convogen.llm import ModelResponse, OpenAIWrapper, ScriptedModelClient
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
from convogen.results import ChatResult, StopReason
from convogen.version import __version__

if TYPE_CHECKING:
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
    from convogen.code_utils import DEFAULT_MODEL, FAST_MODEL
    from convogen.llm.classic_client import ClassicModelClient as ModelClient
    from convogen.llm.completion import ChatCompletion, Completion

logger = logging.getLogger(__name__)

# Classic names whose modules are heavier than they are commonly needed: loaded on first use.
_LAZY_NAMES = {
    "Cache": ("convogen.cache", "Cache"),
    "ChatCompletion": ("convogen.llm.completion", "ChatCompletion"),
    "Completion": ("convogen.llm.completion", "Completion"),
    "DEFAULT_MODEL": ("convogen.code_utils", "DEFAULT_MODEL"),
    "FAST_MODEL": ("convogen.code_utils", "FAST_MODEL"),
    "ModelClient": ("convogen.llm.classic_client", "ClassicModelClient"),
}
_SUBMODULES = frozenset(
    {"agentchat", "cache", "code_utils", "coding", "exception_utils", "formatting_utils"}
    | {"function_utils", "graph_utils", "io", "oai", "runtime_logging", "token_count_utils"}
    | {"types", "version", "retrieve_utils"}
)


def __getattr__(name: str) -> Any:
    """Load classic submodules and names on first access (PEP 562)."""
    lazy = _LAZY_NAMES.get(name)
    if lazy is not None:
        module, attribute = lazy
        return getattr(importlib.import_module(module), attribute)
    if name in _SUBMODULES:
        return importlib.import_module(f"convogen.{name}")
    raise AttributeError(f"module 'convogen' has no attribute {name!r}")


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
