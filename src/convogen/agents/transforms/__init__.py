"""Message transforms: limit, truncate or compress the history an agent replies to."""

from convogen.agents.transforms.capability import TransformMessages
from convogen.agents.transforms.compress import LLMLingua, TextCompressor, TextMessageCompressor
from convogen.agents.transforms.history import MessageHistoryLimiter
from convogen.agents.transforms.protocol import MessageTransform
from convogen.agents.transforms.token_limit import MessageTokenLimiter

__all__ = [
    "LLMLingua",
    "MessageHistoryLimiter",
    "MessageTokenLimiter",
    "MessageTransform",
    "TextCompressor",
    "TextMessageCompressor",
    "TransformMessages",
]
