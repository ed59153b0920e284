"""Hooks of the reply pipeline: registering them and running the message-processing ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from convogen.errors import ConfigError
from convogen.messages import Message

HOOKABLE_METHODS = (
    "process_last_received_message",
    "process_all_messages_before_reply",
    "process_message_before_send",
    "update_agent_state",
)


class HookMixin:
    """``register_hook`` and the two hooks that rewrite messages before a reply."""

    hook_lists: dict[str, list[Callable[..., Any]]]

    def register_hook(self, hookable_method: str, hook: Callable[..., Any]) -> None:
        """Run ``hook`` at a hookable point of the reply pipeline."""
        if hookable_method not in self.hook_lists:
            raise ConfigError("hookable_method", hookable_method, f"use one of {HOOKABLE_METHODS}")
        if hook in self.hook_lists[hookable_method]:
            raise ConfigError("hook", hook, f"already registered for {hookable_method}")
        self.hook_lists[hookable_method].append(hook)

    def process_all_messages_before_reply(self, messages: list[Message]) -> list[Message]:
        """Pass the messages through each ``process_all_messages_before_reply`` hook."""
        for hook in self.hook_lists["process_all_messages_before_reply"]:
            messages = hook(messages)
        return messages

    def process_last_received_message(self, messages: list[Message]) -> list[Message]:
        """Let ``process_last_received_message`` hooks rewrite the last message's content.

        A function call, a message with context, no content or ``exit`` is left alone; the
        stored history is never changed.
        """
        hooks = self.hook_lists["process_last_received_message"]
        if not hooks or not messages:
            return messages
        last = messages[-1]
        content = last.get("content")
        if "function_call" in last or "context" in last or content == "exit":
            return messages
        if not isinstance(content, (str, list)):
            return messages
        processed: Any = content
        for hook in hooks:
            processed = hook(processed)
        if processed == content:
            return messages
        changed = dict(last)
        changed["content"] = processed
        return [*messages[:-1], changed]  # type: ignore[list-item]
