"""convogen: LLM-backed agents that converse with each other, tools, code and people.

The classic AutoGen names are available here, so ``import convogen as autogen`` works.
"""

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
from convogen.errors import ConfigError, ConvogenError
from convogen.groupchat import GroupChat, GroupChatManager
from convogen.llm import ModelClient, ModelResponse, OpenAIWrapper, ScriptedModelClient
from convogen.llm.scripted import scripted_llm_config
from convogen.results import ChatResult, StopReason

__version__ = "0.1.0"

__all__ = [
    "Agent",
    "AssistantAgent",
    "ChatResult",
    "ConfigError",
    "ConsoleIO",
    "ConversableAgent",
    "ConvogenError",
    "GroupChat",
    "GroupChatManager",
    "IOStream",
    "ModelClient",
    "ModelResponse",
    "OpenAIWrapper",
    "ScriptedIO",
    "ScriptedModelClient",
    "StopReason",
    "UserProxyAgent",
    "__version__",
    "a_initiate_chats",
    "default_io",
    "initiate_chats",
    "register_function",
    "scripted_llm_config",
    "set_default_io",
]
