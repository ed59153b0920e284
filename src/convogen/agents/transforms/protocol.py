"""The protocol every message transform implements."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class MessageTransform(Protocol):
    """Turns a list of messages into a new list, and describes what it changed."""

    def apply_transform(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return the transformed messages (a new list; the input is left as it was)."""
        ...

    def get_logs(
        self,
        pre_transform_messages: list[dict[str, Any]],
        post_transform_messages: list[dict[str, Any]],
    ) -> tuple[str, bool]:
        """A log line about the change, and whether the transform had any effect."""
        ...
