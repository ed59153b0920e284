"""How a message is stored in each side's history (the roles the model will see)."""

from __future__ import annotations

from typing import Any, cast

from convogen.errors import MessageError
from convogen.messages import Message, Role, to_message


def stored_copy(message: str | Message | dict[str, Any], *, role: Role, name: str) -> Message:
    """The copy of ``message`` one side keeps: own messages as 'assistant', the peer's as 'user'.

    Tool and function results keep their role; tool calls are always the assistant's.
    ``name`` is the sender's name.
    """
    if type(message) is str:
        # The common case (a text reply): what the general path below builds for a str.
        return {"content": message, "role": role, "name": name}
    if isinstance(message, dict) and callable(message.get("content")):
        message = _instantiated(dict(message))
    # to_message returns a fresh, validated dict: trim it in place instead of copying again.
    stored: dict[str, Any] = to_message(message, default_role=role)  # type: ignore[assignment]
    original_role = stored.pop("role")
    empty = [key for key, value in stored.items() if value is None]
    for key in empty:
        del stored[key]
    if "content" not in stored:
        if not (
            stored.get("tool_calls") or stored.get("function_call") or stored.get("tool_responses")
        ):
            raise MessageError(
                "a message needs content, tool calls, a function call or tool responses: "
                f"{message!r:.200}"
            )
        stored["content"] = None
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


def _instantiated(message: dict[str, Any]) -> dict[str, Any]:
    """0.2: a callable content is instantiated with the message's context."""
    make: Any = message["content"]
    return {**message, "content": make(message.get("context") or {})}
