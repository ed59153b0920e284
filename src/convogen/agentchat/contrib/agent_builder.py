"""Classic ``autogen.agentchat.contrib.agent_builder``."""

from convogen.apps.builder.builder import AgentBuilder

__all__ = ["AgentBuilder"]
