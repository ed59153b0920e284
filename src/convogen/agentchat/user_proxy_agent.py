"""Classic ``autogen.agentchat.user_proxy_agent``."""

from convogen.agents.user_proxy import UserProxyAgent

__all__ = ["UserProxyAgent"]
