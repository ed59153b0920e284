"""Classic ``autogen.agentchat.contrib.capabilities.transforms_util``."""

from convogen.agents.transforms.util import (
    cache_content_get,
    cache_content_set,
    cache_key,
    count_text_tokens,
    is_content_right_type,
    is_content_text_empty,
    min_tokens_reached,
    should_transform_message,
)

__all__ = [
    "cache_content_get",
    "cache_content_set",
    "cache_key",
    "count_text_tokens",
    "is_content_right_type",
    "is_content_text_empty",
    "min_tokens_reached",
    "should_transform_message",
]
