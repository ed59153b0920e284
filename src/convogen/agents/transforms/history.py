"""``MessageHistoryLimiter``: keep only the most recent messages."""

from __future__ import annotations

from typing import Any

from convogen.errors import ConfigError


class MessageHistoryLimiter:
    """Keeps the last ``max_messages`` messages (optionally the first one as well)."""

    def __init__(self, max_messages: int | None = None, keep_first_message: bool = False) -> None:
        if max_messages is not None and (
            not isinstance(max_messages, int) or isinstance(max_messages, bool) or max_messages < 1
        ):
            raise ConfigError("max_messages", max_messages, "must be None or an int of at least 1")
        self._max_messages = max_messages
        self._keep_first_message = keep_first_message

    def apply_transform(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The most recent messages, at most ``max_messages`` of them.

        A tool result is never kept without the call before it: when the oldest kept slot
        would hold a ``tool`` message, that slot stays empty.
        """
        limit = self._max_messages
        if limit is None or len(messages) <= limit:
            return messages
        head = [messages[0]] if self._keep_first_message else []
        tail_size = limit - len(head)
        if tail_size <= 0:
            return head
        tail = messages[len(messages) - tail_size :]
        if head and tail and tail[0] is messages[0]:
            tail = tail[1:]
        if tail and tail[0].get("role") == "tool":
            tail = tail[1:]
        return head + tail

    def get_logs(
        self,
        pre_transform_messages: list[dict[str, Any]],
        post_transform_messages: list[dict[str, Any]],
    ) -> tuple[str, bool]:
        """Say how many messages were removed."""
        before, after = len(pre_transform_messages), len(post_transform_messages)
        if after < before:
            return (
                f"Removed {before - after} messages. "
                f"Number of messages reduced from {before} to {after}.",
                True,
            )
        return "No messages were removed.", False
