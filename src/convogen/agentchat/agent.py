"""Classic ``autogen.agentchat.agent``: the ``Agent`` and ``LLMAgent`` protocols."""

from convogen.agents.base import Agent, LLMAgent

__all__ = ["Agent", "LLMAgent"]
