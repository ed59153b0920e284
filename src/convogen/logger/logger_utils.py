"""Classic ``autogen.logger.logger_utils``: timestamps and JSON-ready copies of objects."""

from __future__ import annotations

import inspect
from typing import Any

from convogen.state.logging.records import current_ts

__all__ = ["get_current_ts", "to_dict"]


def get_current_ts() -> str:
    """The UTC time as the runtime log writes it (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    return current_ts()


def to_dict(obj: Any, exclude: tuple[str, ...] = (), no_recursive: tuple[Any, ...] = ()) -> Any:
    """A JSON-ready copy: dicts, lists and objects (their attributes) converted recursively.

    Keys in ``exclude`` are dropped; instances of ``no_recursive`` become their ``str``;
    a callable becomes its source code (or its repr when the source is unavailable).
    """
    if obj is None or isinstance(obj, int | float | str | bool):
        return obj
    if callable(obj):
        try:
            return inspect.getsource(obj).strip()
        except (OSError, TypeError):
            return repr(obj)
    if isinstance(obj, dict):
        items = obj.items()
    elif isinstance(obj, list | tuple):
        return [_child(v, exclude, no_recursive) for v in obj]
    elif hasattr(obj, "__dict__"):
        items = vars(obj).items()
    else:
        return obj
    return {str(k): _child(v, exclude, no_recursive) for k, v in items if k not in exclude}


def _child(value: Any, exclude: tuple[str, ...], no_recursive: tuple[Any, ...]) -> Any:
    if no_recursive and isinstance(value, no_recursive):
        return str(value)
    return to_dict(value, exclude, no_recursive)
