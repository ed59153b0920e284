"""Classic ``autogen.agentchat.contrib.multimodal_conversable_agent``."""

from convogen.agents.multimodal import (
    DEFAULT_LMM_SYS_MSG,
    DEFAULT_MODEL,
    MultimodalConversableAgent,
)

__all__ = ["DEFAULT_LMM_SYS_MSG", "DEFAULT_MODEL", "MultimodalConversableAgent"]
