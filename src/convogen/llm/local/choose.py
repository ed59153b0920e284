"""Forcing a model to answer with exactly one of a few names (group-chat speaker selection)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from convogen._sync import run_sync
from convogen.errors import ModelClientError
from convogen.llm.local.grammars import check_options
from convogen.llm.protocol import ModelClient, ModelRequest
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.llm.wrapper import OpenAIWrapper


def _is_local(client: object) -> bool:
    from convogen.llm.local.client import LocalModelClient

    return isinstance(client, LocalModelClient)


async def a_choose_one(
    client: ModelClient | OpenAIWrapper,
    messages: list[Message],
    options: list[str],
    **params: Any,
) -> str:
    """Ask ``client`` to pick one of ``options``; the reply is always exactly one of them.

    On the local model a grammar forces the choice. Other models are asked normally and the
    first option named in the reply wins (``ModelClientError`` when none is named).
    """
    options = check_options(options, "options")
    if len(options) == 1:
        return options[0]
    from convogen.llm.wrapper import OpenAIWrapper

    if isinstance(client, OpenAIWrapper):
        local = all(_is_local(c) for c in client.clients) and bool(client.clients)
        if local:
            response = await client.a_create(messages=messages, choices=options, **params)
        else:
            response = await client.a_create(messages=messages, **params)
    elif _is_local(client):
        request = ModelRequest(messages=messages, params={**params, "choices": options})
        response = await client.create(request)
    else:
        response = await client.create(ModelRequest(messages=messages, params=params))
    text = response.text or ""
    if text in options:
        return text
    return _first_named(text, options)


def _first_named(text: str, options: list[str]) -> str:
    """The option mentioned earliest in ``text`` (longest first on ties, so 'Bob2' beats 'Bob')."""
    found: list[tuple[int, int, str]] = []
    for option in options:
        match = re.search(rf"(?<!\w){re.escape(option)}(?!\w)", text)
        if match:
            found.append((match.start(), -len(option), option))
    if not found:
        raise ModelClientError(f"the reply {text[:200]!r} names none of {options}")
    return min(found)[2]


def choose_one(
    client: ModelClient | OpenAIWrapper,
    messages: list[Message],
    options: list[str],
    **params: Any,
) -> str:
    """Synchronous twin of ``a_choose_one``."""
    return run_sync(a_choose_one(client, messages, options, **params))
