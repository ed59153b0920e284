"""Web documents for retrieval: recognise URLs, download them, turn HTML into Markdown."""

from __future__ import annotations

import hashlib
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

_log = logging.getLogger("convogen.apps.retrieval")
_BLOCKS = {"p", "div", "section", "article", "br", "tr", "table", "ul", "ol", "blockquote"}
_SKIPPED = {"script", "style", "noscript", "head"}


def is_url(text: str) -> bool:
    """True when ``text`` has a scheme and a host (``https://example.org/doc``)."""
    try:
        parts = urlparse(text)
    except (ValueError, TypeError, AttributeError):
        return False
    return bool(parts.scheme and parts.netloc)


class _MarkdownWriter(HTMLParser):
    """Collects the visible text of a page as Markdown (headings, lists, links, code)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._href: str | None = None
        self._in_pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIPPED:
            self._skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("pre", "code") and not self._in_pre:
            self._in_pre = tag == "pre"
            self.out.append("\n```\n" if tag == "pre" else "`")
        elif tag == "a":
            self._href = dict(attrs).get("href")
            self.out.append("[")
        elif tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag == "pre":
            self._in_pre = False
            self.out.append("\n```\n")
        elif tag == "code" and not self._in_pre:
            self.out.append("`")
        elif tag == "a":
            self.out.append(f"]({self._href})" if self._href else "]")
            self._href = None
        elif re.fullmatch(r"h[1-6]", tag) or tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._skip:
            return
        self.out.append(data if self._in_pre else re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    """The page as Markdown, headed by ``# <title>`` when it has one."""
    writer = _MarkdownWriter()
    writer.feed(html)
    writer.close()
    text = re.sub(r"[ \t]+\n", "\n", "".join(writer.out))
    text = re.sub(r"\n{3,}", "\n\n", text.replace("\r\n", "\n")).strip()
    title = writer.title.strip()
    return f"# {title}\n\n{text}" if title else text


def file_name_for(url: str, max_length: int = 255) -> str:
    """A file name for a downloaded URL: host, last path part and a short hash."""
    digest = hashlib.blake2b(url.encode("utf-8")).hexdigest()
    parts = urlparse(url)
    base = Path(parts.path).name or "index"
    room = max(1, min(8, max_length - len(parts.netloc) - len(base) - 2))
    return f"{parts.netloc}_{base}_{digest[:room]}"


def download(url: str, save_path: str | None = None, timeout: float = 30.0) -> str | None:
    """Save ``url`` (HTML as Markdown) under ``save_path`` (a directory or a file); its path.

    A failed download is logged and gives None, as classic AutoGen does.
    """
    import httpx

    target = Path(save_path) if save_path is not None else Path("tmp/chromadb")
    if save_path is None or target.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        target = target / file_name_for(url)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        _log.warning("could not download %s: %s", url, exc)
        return None
    if "text/html" in response.headers.get("content-type", ""):
        target.write_text(html_to_markdown(response.text), encoding="utf-8")
    else:
        target.write_bytes(response.content)
    return str(target)
