"""Classic ``autogen.agentchat.assistant_agent``."""

from convogen.agents.assistant import AssistantAgent

__all__ = ["AssistantAgent"]
