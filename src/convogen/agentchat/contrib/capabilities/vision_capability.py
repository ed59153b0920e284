"""Classic ``autogen.agentchat.contrib.capabilities.vision_capability``."""

from convogen.agents.vision import DEFAULT_DESCRIPTION_PROMPT, VisionCapability

__all__ = ["DEFAULT_DESCRIPTION_PROMPT", "VisionCapability"]
