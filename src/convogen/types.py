"""Classic ``autogen.types``: typed parts of multimodal user messages."""

from __future__ import annotations

from typing import Literal, TypedDict

MessageContentType = str | list[dict[str, object] | str] | None


class UserMessageTextContentPart(TypedDict):
    """A text part of a message's content."""

    type: Literal["text"]
    text: str


class UserMessageImageContentPart(TypedDict):
    """An image part of a message's content (``image_url.url``: a URL or data URI)."""

    type: Literal["image_url"]
    image_url: dict[Literal["url"], str]


__all__ = ["MessageContentType", "UserMessageImageContentPart", "UserMessageTextContentPart"]
