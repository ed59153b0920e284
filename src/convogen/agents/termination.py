"""Termination rules an agent can use as ``is_termination_msg``."""

from __future__ import annotations

from convogen.messages import Message, content_str

TERMINATION_WORD = "TERMINATE"


def is_exact_terminate(message: Message) -> bool:
    """The classic default: the message's text is exactly ``TERMINATE``."""
    return content_str(message.get("content")) == TERMINATION_WORD


def ends_with_terminate(message: Message) -> bool:
    """Opt-in rule: the text ends with the word ``TERMINATE`` (a trailing . or ! is allowed)."""
    text = content_str(message.get("content")).rstrip().rstrip(".!")
    return text.endswith(TERMINATION_WORD) and (
        len(text) == len(TERMINATION_WORD) or not text[-len(TERMINATION_WORD) - 1].isalnum()
    )
