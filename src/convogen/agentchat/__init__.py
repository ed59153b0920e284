"""Classic ``autogen.agentchat``: agents, chats and group chats under their 0.2 names."""

import importlib
from types import ModuleType

from convogen.agentchat import (
    agent,
    assistant_agent,
    chat,
    conversable_agent,
    user_proxy_agent,
    utils,
)
from convogen.agentchat.agent import Agent
from convogen.agentchat.assistant_agent import AssistantAgent
from convogen.agentchat.chat import ChatResult, initiate_chats
from convogen.agentchat.conversable_agent import ConversableAgent, register_function
from convogen.agentchat.user_proxy_agent import UserProxyAgent
from convogen.agentchat.utils import gather_usage_summary
from convogen.groupchat import GroupChat, GroupChatManager

__all__ = [
    "Agent",
    "AssistantAgent",
    "ChatResult",
    "ConversableAgent",
    "GroupChat",
    "GroupChatManager",
    "UserProxyAgent",
    "agent",
    "assistant_agent",
    "chat",
    "conversable_agent",
    "gather_usage_summary",
    "initiate_chats",
    "register_function",
    "user_proxy_agent",
    "utils",
]


def __getattr__(name: str) -> ModuleType:
    # ``agentchat.groupchat`` (the group-chat facade) loads on first use.
    if name == "groupchat":
        return importlib.import_module("convogen.agentchat.groupchat")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
