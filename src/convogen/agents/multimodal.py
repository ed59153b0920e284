"""``MultimodalConversableAgent``: an agent whose messages may carry images for vision models.

``<img path_or_url>`` tags in the text of messages it receives, of its system message and of
the conversation it sends to its model become OpenAI ``image_url`` parts (files as base64
data URIs, URLs as they are). The history keeps plain data (strings), never image objects.
"""

from __future__ import annotations

import copy
from typing import Any

from convogen.agents import images
from convogen.agents.base import Agent
from convogen.agents.conversable import ConversableAgent
from convogen.messages import Message

DEFAULT_LMM_SYS_MSG = "You are a helpful AI assistant."
DEFAULT_MODEL = "gpt-4-vision-preview"


class MultimodalConversableAgent(ConversableAgent):
    """A conversable agent that sends images (``<img ...>`` tags, ``image_url`` parts)."""

    DEFAULT_CONFIG: dict[str, Any] = {"model": DEFAULT_MODEL}

    def __init__(
        self,
        name: str,
        system_message: str | list[dict[str, Any]] | None = DEFAULT_LMM_SYS_MSG,
        is_termination_msg: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, system_message, is_termination_msg, *args, **kwargs)
        self.update_system_message(system_message or "")
        self.register_hook("process_all_messages_before_reply", with_image_parts)

    def update_system_message(self, system_message: str | list[dict[str, Any]]) -> None:
        """Replace the system message; ``<img>`` tags in it become image parts."""
        if isinstance(system_message, str):
            super().update_system_message(images.content_parts(system_message))
        else:
            super().update_system_message(system_message)

    def deliver(
        self,
        message: str | dict[str, Any] | Message,
        sender: ConversableAgent | Agent,
        silent: bool = False,
    ) -> None:
        """Store a message from ``sender`` with its ``<img>`` tags made into image parts."""
        super().deliver(message_with_image_parts(message), sender, silent)

    async def a_generate_oai_reply(
        self, messages: list[Message] | None = None, sender: Any = None, config: Any = None
    ) -> tuple[bool, str | dict[str, Any] | None]:
        """Reply with the model's completion; images in the conversation go as image parts."""
        history = self._history(messages, sender)
        return await super().a_generate_oai_reply(with_image_parts(history), sender, config)


def message_with_image_parts(
    message: str | dict[str, Any] | Message,
) -> str | dict[str, Any] | Message:
    """``message`` with ``<img>`` tags in its text content made into image parts."""
    if isinstance(message, str):
        return {"content": images.content_parts(message)} if "<img " in message else message
    content = message.get("content")
    converted = images.with_image_parts(content)
    if converted is content:
        return message
    changed = copy.copy(dict(message))
    changed["content"] = converted
    return changed


def with_image_parts(messages: list[Message]) -> list[Message]:
    """The messages with ``<img>`` tags made into parts and PIL images into data URIs."""
    converted: list[Any] = [message_with_image_parts(m) for m in messages]
    return images.pil_parts_to_data_uris(converted)  # type: ignore[return-value]
