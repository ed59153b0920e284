"""Agents: ConversableAgent and its classic subclasses, plus human IO."""

from convogen.agents.assistant import AssistantAgent
from convogen.agents.base import Agent
from convogen.agents.conversable import ConversableAgent
from convogen.agents.io import ConsoleIO, IOStream, ScriptedIO, default_io, set_default_io
from convogen.agents.user_proxy import UserProxyAgent

__all__ = [
    "Agent",
    "AssistantAgent",
    "ConsoleIO",
    "ConversableAgent",
    "IOStream",
    "ScriptedIO",
    "UserProxyAgent",
    "default_io",
    "set_default_io",
]
