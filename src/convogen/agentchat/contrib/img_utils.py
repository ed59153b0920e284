"""Classic ``autogen.agentchat.contrib.img_utils``: images in messages, over ``agents.images``."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from convogen.agents import images
from convogen.agents.images import extract_img_paths, pil_to_data_uri

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = [
    "convert_base64_to_data_uri",
    "extract_img_paths",
    "get_image_data",
    "get_pil_image",
    "gpt4v_formatter",
    "llava_formatter",
    "message_formatter_pil_to_b64",
    "pil_to_data_uri",
]


def get_pil_image(image_file: str | Image) -> Image:
    """A PIL image (RGB) from a file path, URL, data URI, base64 string or PIL image."""
    return images.load_pil_image(image_file)


def get_image_data(image_file: str | Image, use_b64: bool = True) -> str | bytes:
    """The image as PNG: a base64 string (``use_b64``) or raw bytes."""
    data = images.png_bytes(images.load_pil_image(image_file))
    return base64.b64encode(data).decode("ascii") if use_b64 else data


def llava_formatter(prompt: str, order_image_tokens: bool = False) -> tuple[str, list[str]]:
    """The prompt with ``<img>`` tags made into image tokens, and the base64 images."""
    return images.llava_prompt(prompt, order_image_tokens)


def gpt4v_formatter(prompt: str, img_format: str = "uri") -> list[dict[str, Any]]:
    """The prompt as text and ``image_url`` parts; ``img_format`` is "uri", "url" or "pil"."""
    return images.content_parts(prompt, images.resolver(img_format))


def convert_base64_to_data_uri(base64_image: str) -> str:
    """A data URI for base64 image data, its MIME type read from the data."""
    return images.data_uri(base64_image)


def message_formatter_pil_to_b64(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages with PIL images in ``image_url`` parts turned into PNG data URIs."""
    return images.pil_parts_to_data_uris(messages)
