"""Classic ``autogen.agentchat.contrib.society_of_mind_agent``."""

from convogen.groupchat.society_of_mind import SocietyOfMindAgent

__all__ = ["SocietyOfMindAgent"]
