"""``VisionCapability``: an agent without vision reads captions of the images it receives.

Each image in the last received message (``image_url`` parts or ``<img ...>`` tags) is
captioned by a multimodal model (``lmm_config``) or a custom function, and the message becomes
text: the image tag followed by its caption.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convogen.agents import images
from convogen.errors import ConfigError
from convogen.messages import content_str

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent
    from convogen.llm.wrapper import OpenAIWrapper

DEFAULT_DESCRIPTION_PROMPT = (
    "Write a detailed caption for this image. "
    "Pay special attention to any details that might be useful or relevant "
    "to the ongoing conversation."
)
ABILITY_NOTE = "\nYou've been given the ability to interpret images."
# caption_func(image_url, pil_image, lmm_client) -> caption
CaptionFunc = Callable[[str, Any, "OpenAIWrapper | None"], str]


class VisionCapability:
    """Replaces images in received messages with captions from a multimodal model."""

    def __init__(
        self,
        lmm_config: dict[str, Any] | bool | None,
        description_prompt: str | None = DEFAULT_DESCRIPTION_PROMPT,
        custom_caption_func: CaptionFunc | None = None,
    ) -> None:
        if not lmm_config and custom_caption_func is None:
            raise ConfigError(
                "lmm_config",
                lmm_config,
                "VisionCapability needs an lmm_config or custom_caption_func",
            )
        if lmm_config is not None and not isinstance(lmm_config, (dict, bool)):
            raise ConfigError("lmm_config", lmm_config, "must be an llm_config dict")
        self._lmm_config = lmm_config
        self._description_prompt = description_prompt or DEFAULT_DESCRIPTION_PROMPT
        self._custom_caption_func = custom_caption_func
        self._lmm_client: OpenAIWrapper | None = None
        if isinstance(lmm_config, dict) and lmm_config:
            from convogen.llm.wrapper import OpenAIWrapper

            self._lmm_client = OpenAIWrapper(**lmm_config)
        self._parent_agent: ConversableAgent | None = None

    def add_to_agent(self, agent: ConversableAgent) -> None:
        """Give ``agent`` the capability: a note in its system message and a message hook."""
        self._parent_agent = agent
        agent.update_system_message(agent.system_message + ABILITY_NOTE)
        agent.register_hook("process_last_received_message", self.process_last_received_message)

    def process_last_received_message(self, content: str | list[dict[str, Any]]) -> str:
        """The content as text, each image followed by its caption."""
        parts: Any = copy.deepcopy(content)
        if isinstance(parts, str):
            parts = images.content_parts(parts, images.unquote)
        text = ""
        for item in parts:
            if not isinstance(item, dict):
                raise ConfigError("content", item, "a content part must be a dict")
            if item.get("type") == "text":
                text += item.get("text", "")
            elif item.get("type") == "image_url":
                url = item["image_url"]["url"]
                caption = self._caption(url)
                text += f"<img {url}> in case you can not see, the caption of this image is: "
                text += f"{caption}\n"
            else:
                warnings.warn(f"content part of type {item.get('type')!r} skipped", stacklevel=2)
        return text

    def _caption(self, url: str) -> str:
        if self._custom_caption_func is not None:
            return self._custom_caption_func(url, images.load_pil_image(url), self._lmm_client)
        if self._lmm_client is None:
            return ""
        message = {
            "role": "user",
            "content": [
                {"type": "text", "text": self._description_prompt},
                {"type": "image_url", "image_url": {"url": images.image_url_for(url)}},
            ],
        }
        response = self._lmm_client.create(context=None, messages=[message])
        return content_str(response.choices[0].message.content)
