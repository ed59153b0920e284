"""Classic ``autogen.formatting_utils``: ``colored`` text for the terminal (ANSI codes)."""

from __future__ import annotations

import os
from collections.abc import Iterable

_COLORS = {
    "black": 30, "grey": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35,
    "cyan": 36, "light_grey": 37, "dark_grey": 90, "light_red": 91, "light_green": 92,
    "light_yellow": 93, "light_blue": 94, "light_magenta": 95, "light_cyan": 96, "white": 97,
}  # fmt: skip
_ATTRIBUTES = {"bold": 1, "dark": 2, "underline": 4, "blink": 5, "reverse": 7, "concealed": 8}


def colored(
    text: object,
    color: str | None = None,
    on_color: str | None = None,
    attrs: Iterable[str] | None = None,
) -> str:
    """``text`` wrapped in ANSI colour codes (plain when ``NO_COLOR`` is set)."""
    if os.environ.get("NO_COLOR"):
        return str(text)
    codes: list[int] = []
    for name, table, offset in ((color, _COLORS, 0), (on_color, _COLORS, 10)):
        if name is not None:
            key = name.removeprefix("on_") if offset else name
            if key not in table:
                raise ValueError(f"unknown color {name!r}; known: {sorted(table)}")
            codes.append(table[key] + offset)
    for attr in attrs or ():
        if attr not in _ATTRIBUTES:
            raise ValueError(f"unknown attribute {attr!r}; known: {sorted(_ATTRIBUTES)}")
        codes.append(_ATTRIBUTES[attr])
    if not codes:
        return str(text)
    return f"\033[{';'.join(map(str, codes))}m{text}\033[0m"


__all__ = ["colored"]
