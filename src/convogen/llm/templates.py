"""Prompt templates: ``"{problem}"`` strings filled from a context dict, or callables of it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from convogen.errors import ConfigError
from convogen.messages import Message

Template = str | Callable[[Mapping[str, Any]], str | None]


def instantiate(
    template: Template | None,
    context: Mapping[str, Any] | None,
    allow_format_str_template: bool = False,
) -> str | None:
    """Fill ``template``: a callable gets the context; a str is ``str.format``-ed when allowed.

    Format-string templates are opt-in because ordinary text (code, JSON) contains braces.
    """
    if template is None or context is None:
        return template if not callable(template) else template(context or {})
    if callable(template):
        return template(context)
    if not allow_format_str_template:
        return template
    try:
        return template.format(**context)
    except KeyError as exc:
        raise ConfigError(
            "context", sorted(context), f"template {template[:80]!r} needs the key {exc}"
        ) from exc
    except (IndexError, ValueError) as exc:
        raise ConfigError("prompt", template[:80], f"is not a valid format string: {exc}") from exc


class TemplateScan:
    """Remembers the last message list found to hold no callable content.

    A conversation's next prompt usually repeats the last one and adds a message or two, so
    only the added messages are looked at: the repeated prefix is confirmed by one list
    comparison in C (the very same dicts compare instantly; other dicts compare by value).
    Messages are not changed in place once sent (convogen's histories never are).
    """

    __slots__ = ("_clean",)

    def __init__(self) -> None:
        self._clean: list[Mapping[str, Any]] = []

    def has_callable_content(self, messages: Sequence[Mapping[str, Any]]) -> bool:
        """True when some message's ``content`` is a callable template."""
        clean = self._clean
        size = len(clean)
        start = size if size and len(messages) >= size and messages[:size] == clean else 0
        for index in range(start, len(messages)):
            if callable(messages[index].get("content")):
                return True
        self._clean = list(messages)
        return False


def instantiate_messages(
    messages: Sequence[Message | Mapping[str, Any]],
    context: Mapping[str, Any] | None,
    allow_format_str_template: bool = False,
    scan: TemplateScan | None = None,
) -> list[Message]:
    """Messages with templated ``content`` filled; other messages are passed on unchanged.

    ``scan`` (one per caller, e.g. per model wrapper) spares rescanning a repeated prefix.
    """
    fill_strings = bool(allow_format_str_template and context)
    if not fill_strings:
        # The common case: only callable contents need filling, and there are usually none.
        found = (scan or TemplateScan()).has_callable_content(messages)
        if not found:
            return cast(list[Message], list(messages))
    out: list[Message] = []
    for message in messages:
        content = message.get("content")
        if callable(content) or (
            isinstance(content, str) and allow_format_str_template and context
        ):
            filled = dict(message)
            filled["content"] = instantiate(
                cast(Template, content), context, allow_format_str_template
            )
            out.append(cast(Message, filled))
        else:
            out.append(cast(Message, message))
    return out
