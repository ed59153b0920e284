"""Resolving a model's free-text answer to one agent name."""

from __future__ import annotations

import re
from collections.abc import Sequence


def mentioned_names(text: str, names: Sequence[str]) -> dict[str, int]:
    """How often each name is mentioned as a whole word (also with '_' written as a space)."""
    counts: dict[str, int] = {}
    for name in names:
        variants = {name, name.replace("_", " ")}
        pattern = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
        found = len(re.findall(rf"(?<![\w-])(?:{pattern})(?![\w-])", text))
        if found:
            counts[name] = found
    return counts


def resolve_name(text: str, names: Sequence[str]) -> str | None:
    """The one name ``text`` designates, or None when it names none or several.

    An exact answer (ignoring case, quotes and punctuation around it) wins; otherwise the
    answer must mention exactly one of the names.
    """
    cleaned = text.strip().strip("'\"`*.:!").strip()
    lowered = {n.lower(): n for n in names}
    if cleaned.lower() in lowered:
        return lowered[cleaned.lower()]
    counts = mentioned_names(text, names)
    return next(iter(counts)) if len(counts) == 1 else None
