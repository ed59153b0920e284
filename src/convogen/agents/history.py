"""How a message is stored in each side's history (the roles the model will see)."""

from __future__ import annotations

from typing import Any, cast

from convogen.errors import MessageError
from convogen.messages import Message, Role, to_message

_STORED_KEYS = (
    "content",
    "function_call",
    "tool_calls",
    "tool_responses",
    "tool_call_id",
    "name",
    "context",
)


def stored_copy(message: str | Message | dict[str, Any], *, role: Role, name: str) -> Message:
    """The copy of ``message`` one side keeps: own messages as 'assistant', the peer's as 'user'.

    Tool and function results keep their role; tool calls are always the assistant's.
    ``name`` is the sender's name.
    """
    incoming: dict[str, Any] = dict(to_message(message, default_role=role))
    stored = {k: incoming[k] for k in _STORED_KEYS if incoming.get(k) is not None}
    if "content" not in stored:
        if not (
            stored.get("tool_calls") or stored.get("function_call") or stored.get("tool_responses")
        ):
            raise MessageError(
                "a message needs content, tool calls, a function call or tool responses: "
                f"{message!r:.200}"
            )
        stored["content"] = None
    original_role = incoming.get("role")
    if isinstance(message, dict) and original_role in ("tool", "function"):
        stored["role"] = original_role
        for response in stored.get("tool_responses") or []:
            response["content"] = str(response.get("content", ""))
    elif stored.get("tool_responses"):
        stored["role"] = "tool"
    else:
        stored["role"] = role
    if stored.get("tool_calls") or stored.get("function_call"):
        stored["role"] = "assistant"
    stored.setdefault("name", name)
    return cast(Message, stored)
