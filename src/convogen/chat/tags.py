"""``parse_tags_from_content``: HTML-like tags such as ``<img path/to.png>`` in message text."""

from __future__ import annotations

import re
from typing import Any

# A quoted value ends at a quote followed by whitespace or the end, so it may hold the other
# quote or an apostrophe (``text='I'm here'``), as in 0.2.
_ATTRIBUTE = re.compile(r"""([^\s=]+)=(?:"(.*?)"|'(.*?)')(?=\s|$)|(\S+)""")


def parse_tags_from_content(tag: str, content: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every ``<tag ...>`` in ``content``: ``{"tag", "attr", "match"}`` per occurrence.

    Quoted ``key="value"`` pairs become attributes; other words are joined into ``src``.
    """
    if isinstance(content, str):
        texts = [content]
    elif isinstance(content, list):
        texts = [str(part["text"]) for part in content if part.get("type") == "text"]
    else:
        raise ValueError(f"content must be str or list, but got {type(content)}")
    pattern = re.compile(f"<{re.escape(tag)} (.*?)>")
    return [
        {"tag": tag, "attr": _attributes(match.group(1).strip()), "match": match}
        for text in texts
        for match in pattern.finditer(text)
    ]


def _attributes(text: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for key, double, single, word in _ATTRIBUTE.findall(text):
        if word:
            attributes["src"] = f"{attributes['src']} {word}" if "src" in attributes else word
        else:
            attributes[key] = double or single
    return attributes
