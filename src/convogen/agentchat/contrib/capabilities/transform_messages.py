"""Classic ``autogen.agentchat.contrib.capabilities.transform_messages``."""

from convogen.agents.transforms.capability import TransformMessages

__all__ = ["TransformMessages"]
