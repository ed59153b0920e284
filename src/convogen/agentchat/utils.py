"""Classic ``autogen.agentchat.utils``."""

from convogen.chat.queue import consolidate_chat_info
from convogen.chat.tags import parse_tags_from_content
from convogen.chat.usage import gather_usage_summary

__all__ = ["consolidate_chat_info", "gather_usage_summary", "parse_tags_from_content"]
