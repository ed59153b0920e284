"""Serving files that runs produced: inert whatever code wrote them.

Code in the sandbox chooses both the name and the bytes of its files. Served from the studio's
own origin as HTML or SVG, a file would run script with the page's access to the API, so only
raster images (recognised by their bytes, never by their name) are shown inline; everything
else is a download, and every file response forbids script and plugins (CSP ``sandbox``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.responses import FileResponse

FILE_CSP = "default-src 'none'; sandbox"
DOWNLOAD_TYPE = "application/octet-stream"
# The leading bytes of the raster formats shown inline (WebP is checked on its own).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_HEAD_BYTES = 16


def raster_type(path: Path) -> str | None:
    """The image type of a PNG, JPEG, GIF or WebP file, judged by its first bytes; else None."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    for magic, media_type in _SIGNATURES:
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def produced_file_response(path: Path) -> FileResponse:
    """``path`` as an inline raster image, or else as an opaque download."""
    headers = {
        "Content-Security-Policy": FILE_CSP,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    image = raster_type(path)
    return FileResponse(
        path,
        media_type=image or DOWNLOAD_TYPE,
        headers=headers,
        filename=path.name,
        content_disposition_type="attachment" if image is None else "inline",
    )
