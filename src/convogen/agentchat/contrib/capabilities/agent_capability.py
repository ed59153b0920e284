"""Classic ``autogen.agentchat.contrib.capabilities.agent_capability``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent


class AgentCapability:
    """Base class of capabilities: ``add_to_agent`` registers hooks on an agent."""

    def __init__(self) -> None:
        pass

    def add_to_agent(self, agent: ConversableAgent) -> None:
        """Add this capability to ``agent``; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement add_to_agent(agent)")
