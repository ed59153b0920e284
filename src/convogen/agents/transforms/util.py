"""Helpers shared by the message transforms: token counts, content checks, filters, cache."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from convogen.llm.config_list import filter_config
from convogen.llm.tokens import count_token


def cache_key(content: Any, *args: Hashable) -> str:
    """A cache key made of the content and any further hashable arguments."""
    return "".join(str(part) for part in (content, *args))


def cache_content_get(cache: Any, key: str) -> tuple[Any, ...] | None:
    """The cached tuple under ``key``, or None (also when ``cache`` is None)."""
    if not cache:
        return None
    value = cache.get(key)
    return tuple(value) if value else None


def cache_content_set(cache: Any, key: str, content: Any, *extra_values: Any) -> None:
    """Store ``(content, *extra_values)`` under ``key`` (nothing when ``cache`` is None)."""
    if cache:
        cache.set(key, (content, *extra_values))


def count_text_tokens(content: Any) -> int:
    """Tokens of the text in a message content (a string or a list of parts)."""
    if isinstance(content, str):
        return count_token(content)
    if isinstance(content, list):
        total = 0
        for item in content:
            if isinstance(item, str):
                total += count_token(item)
            elif isinstance(item, dict):
                total += count_text_tokens(item.get("text", ""))
        return total
    return 0


def min_tokens_reached(messages: list[dict[str, Any]], min_tokens: int | None) -> bool:
    """True when there is no threshold or the messages' text holds at least ``min_tokens``."""
    if not min_tokens:
        return True
    total = sum(count_text_tokens(m["content"]) for m in messages if "content" in m)
    return total >= min_tokens


def is_content_right_type(content: Any) -> bool:
    """True for content a transform can work on: a string or a list of parts."""
    return isinstance(content, (str, list))


def is_content_text_empty(content: Any) -> bool:
    """True when the content holds no text at all."""
    if isinstance(content, str):
        return content == ""
    if isinstance(content, list):
        texts = [
            item if isinstance(item, str) else item.get("text", "")
            for item in content
            if isinstance(item, (str, dict))
        ]
        return not any(texts)
    return True


def should_transform_message(
    message: dict[str, Any], filter_dict: dict[str, Any] | None, exclude: bool
) -> bool:
    """Whether a transform applies to ``message`` under ``filter_dict`` (always without one)."""
    if not filter_dict:
        return True
    return bool(filter_config([message], filter_dict, exclude))


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
