"""Tool functions the studio tests give agents."""

from __future__ import annotations


def add(a: int, b: int) -> int:
    """The sum of two numbers."""
    return a + b


def shout(text: str) -> str:
    """``text`` in capitals."""
    return text.upper()


NOT_A_FUNCTION = 3
