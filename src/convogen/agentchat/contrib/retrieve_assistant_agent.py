"""Classic ``autogen.agentchat.contrib.retrieve_assistant_agent``."""

from convogen.apps.retrieval.agents import RetrieveAssistantAgent

__all__ = ["RetrieveAssistantAgent"]
