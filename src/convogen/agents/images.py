"""Images in messages: ``<img src>`` tags, ``image_url`` content parts, data URIs.

A tag ``<img path/or/url>`` (or ``<img src="...">``) in message text becomes an OpenAI
``{"type": "image_url", "image_url": {"url": ...}}`` part. Local files become base64 data URIs;
http(s) URLs and data URIs are passed on unchanged, so the model fetches them, not convogen.
Pillow is needed only to decode or re-encode images; it is imported on first use.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from convogen.errors import ConvogenError

if TYPE_CHECKING:
    from PIL.Image import Image

_TAG = re.compile(r"<img (.*?)>")
_SRC_ATTRIBUTE = re.compile(r"""\bsrc=(?:"([^"]*)"|'([^']*)')""")
_DATA_URI = re.compile(r"data:image/[a-zA-Z0-9.+-]+;base64,")
# Formats every vision model accepts; other files are re-encoded as PNG.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_IMG_PATH = re.compile(
    r"\b(?:https?://\S+\.(?:jpg|jpeg|png|gif|bmp)|\S+\.(?:jpg|jpeg|png|gif|bmp))\b",
    re.IGNORECASE,
)


class ImageError(ConvogenError, ValueError):
    """An image could not be read, decoded or encoded."""


def require_pil() -> Any:
    """The ``PIL.Image`` module, or an ImportError that says how to install Pillow."""
    try:
        from PIL import Image as pil_image_module
    except ImportError as exc:
        raise ImportError(
            "images need Pillow to be decoded or re-encoded: pip install pillow"
        ) from exc
    return pil_image_module


def is_url(source: str) -> bool:
    """True for an http(s) URL."""
    return source.startswith(("http://", "https://"))


def is_data_uri(source: str) -> bool:
    """True for a base64 ``data:image/...`` URI."""
    return _DATA_URI.match(source) is not None


def mime_type(data: bytes) -> str | None:
    """The MIME type of encoded image bytes (JPEG, PNG, GIF, WebP), None when unknown."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def data_uri(b64: str) -> str:
    """A data URI for base64 image data; an unknown format is labelled JPEG (as 0.2 does)."""
    try:
        head = base64.b64decode(b64[:24] + "=" * (-len(b64[:24]) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ImageError(f"not base64 image data: {b64[:40]!r}...") from exc
    return f"data:{mime_type(head) or 'image/jpeg'};base64,{b64}"


def unquote(source: str) -> str:
    """``source`` without one pair of surrounding quotes."""
    source = source.strip()
    if len(source) >= 2 and source[0] == source[-1] and source[0] in "'\"":
        return source[1:-1]
    return source


def file_data_uri(path: str | Path) -> str:
    """A local image file as a data URI; formats models do not take are re-encoded as PNG."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImageError(f"cannot read image file {str(path)!r}: {exc.strerror or exc}") from exc
    mime = mime_type(data)
    if mime is None:
        return pil_to_data_uri(_decode(data, str(path)))
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def image_url_for(source: str) -> str:
    """The ``image_url.url`` for a tag's source: URLs and data URIs as they are, files encoded."""
    source = unquote(source)
    if is_url(source) or is_data_uri(source):
        return source
    if _is_file(source):
        return file_data_uri(source)
    raise ImageError(f"no image file {source!r} (and it is not an http(s) URL or a data URI)")


def load_pil_image(source: str | Image) -> Image:
    """A PIL image (RGB) from a PIL image, URL, data URI, file path or base64 string."""
    pil = require_pil()
    if isinstance(source, pil.Image):
        return cast("Image", source)
    if not isinstance(source, str):
        raise ImageError(
            "an image is a path, URL, data URI, base64 string or PIL image, "
            f"not {type(source).__name__}"
        )
    source = unquote(source)
    if is_url(source):
        data = _download(source)
    elif is_data_uri(source):
        data = _b64decode(_DATA_URI.sub("", source, count=1), "data URI")
    elif _is_file(source):
        data = Path(source).read_bytes()
    else:
        data = _b64decode(source, "image source (not a file, URL or data URI)")
    image: Image = _decode(data, source[:80]).convert("RGB")
    return image


def png_bytes(image: Image) -> bytes:
    """``image`` encoded as PNG."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def pil_to_data_uri(image: Image) -> str:
    """A PIL image as a PNG data URI."""
    return data_uri(base64.b64encode(png_bytes(image)).decode("ascii"))


def img_tags(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each ``<img ...>`` tag in ``text`` with its source (``src="..."`` or the bare words)."""
    for match in _TAG.finditer(text):
        inner = match.group(1).strip()
        attribute = _SRC_ATTRIBUTE.search(inner)
        source = (attribute.group(1) or attribute.group(2)) if attribute else unquote(inner)
        yield match, source


def content_parts(text: str, resolve: Callable[[str], Any] = image_url_for) -> list[dict[str, Any]]:
    """``text`` as alternating text and ``image_url`` parts, one image per ``<img>`` tag.

    ``resolve`` turns a tag's source into the part's ``url``; a source it cannot load is left
    out with a warning (as AutoGen 0.2 does), so one bad path does not lose the whole message.
    """
    parts: list[dict[str, Any]] = []
    start = 0
    for match, source in img_tags(text):
        try:
            url = resolve(source)
        except (ImageError, ImportError, OSError) as exc:
            warnings.warn(f"image {source!r} left out: {exc}", stacklevel=2)
            continue
        parts.append({"type": "text", "text": text[start : match.start()]})
        parts.append({"type": "image_url", "image_url": {"url": url}})
        start = match.end()
    parts.append({"type": "text", "text": text[start:]})
    return parts


def with_image_parts(content: Any) -> Any:
    """Message content with ``<img>`` tags made into parts; other content unchanged."""
    if isinstance(content, str) and "<img " in content:
        return content_parts(content)
    return content


def pil_parts_to_data_uris(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``messages`` whose PIL-image parts are PNG data URIs; others are shared."""
    pil = None
    converted: list[dict[str, Any]] = []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list) and any(_holds_object(p) for p in content):
            pil = pil or require_pil()
            message = {**message, "content": [_part_as_uri(p, pil) for p in content]}
        converted.append(message)
    return converted


def resolver(img_format: str) -> Callable[[str], Any]:
    """How a tag's source becomes a part's url: "uri" (data URI), "url" (as is), "pil" (image)."""
    if img_format == "url":
        return unquote
    if img_format == "pil":
        return load_pil_image
    if img_format == "uri":
        return _any_data_uri
    raise ImageError(f"img_format must be 'uri', 'url' or 'pil', not {img_format!r}")


def llava_prompt(prompt: str, order_image_tokens: bool = False) -> tuple[str, list[str]]:
    """``prompt`` with each loadable ``<img>`` tag replaced by an image token, and the images.

    The images are base64 PNG strings; tokens are ``<image>`` or, ordered, ``<image N>``.
    """
    images: list[str] = []
    pieces: list[str] = []
    start = 0
    for match, source in img_tags(prompt):
        pieces.append(prompt[start : match.start()])
        start = match.end()
        try:
            images.append(base64.b64encode(png_bytes(load_pil_image(source))).decode("ascii"))
        except (ImageError, ImportError, OSError) as exc:
            warnings.warn(f"image {source!r} left out: {exc}", stacklevel=2)
            continue
        pieces.append(f"<image {len(images) - 1}>" if order_image_tokens else "<image>")
    pieces.append(prompt[start:])
    return "".join(pieces), images


def extract_img_paths(paragraph: str) -> list[str]:
    """Image URLs and file paths (.jpg, .jpeg, .png, .gif, .bmp) mentioned in ``paragraph``."""
    return _IMG_PATH.findall(paragraph)


def _any_data_uri(source: str) -> str:
    source = unquote(source)
    if is_url(source):
        return data_uri(base64.b64encode(_download(source)).decode("ascii"))
    if is_data_uri(source) or _is_file(source):
        return image_url_for(source)
    return data_uri(base64.b64encode(_b64decode(source, "image source")).decode("ascii"))


def _holds_object(part: Any) -> bool:
    """True for an image part whose url is an object (a PIL image), not a string."""
    if not isinstance(part, dict) or not isinstance(part.get("image_url"), dict):
        return False
    return not isinstance(part["image_url"].get("url"), str)


def _part_as_uri(part: Any, pil: Any) -> Any:
    if not _holds_object(part) or not isinstance(part["image_url"]["url"], pil.Image):
        return part
    url = pil_to_data_uri(part["image_url"]["url"])
    return {**part, "image_url": {**part["image_url"], "url": url}}


def _is_file(source: str) -> bool:
    # A long base64 string is not a file name; is_file() raises for names too long.
    try:
        return Path(source).is_file()
    except (OSError, ValueError):
        return False


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImageError(f"{what} is not valid base64: {text[:40]!r}") from exc


def _decode(data: bytes, where: str) -> Image:
    pil = require_pil()
    try:
        image: Image = pil.open(io.BytesIO(data))
        image.load()
    except Exception as exc:  # Pillow raises many types for undecodable data.
        raise ImageError(f"cannot decode image {where!r}: {exc}") from exc
    return image


def _download(url: str) -> bytes:
    import httpx

    try:
        response = httpx.get(url, follow_redirects=True, timeout=30)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise ImageError(f"cannot download image {url!r}: {exc}") from exc
    return response.content
