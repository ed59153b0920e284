"""Small tools the studio's gallery offers to agents (plain typed functions)."""

from __future__ import annotations


def word_count(text: str) -> int:
    """The number of words in ``text``."""
    return len(text.split())


def reverse_text(text: str) -> str:
    """``text`` with its characters in reverse order."""
    return text[::-1]
