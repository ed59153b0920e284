"""Classic ``autogen.agentchat.contrib.capabilities.transforms``."""

from convogen.agents.transforms.compress import TextMessageCompressor
from convogen.agents.transforms.history import MessageHistoryLimiter
from convogen.agents.transforms.protocol import MessageTransform
from convogen.agents.transforms.token_limit import MessageTokenLimiter

__all__ = [
    "MessageHistoryLimiter",
    "MessageTokenLimiter",
    "MessageTransform",
    "TextMessageCompressor",
]
