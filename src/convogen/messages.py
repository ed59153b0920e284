"""The typed message model: what agents send each other.

Messages are stored as plain dicts (the shape OpenAI-compatible APIs and classic AutoGen use),
typed with ``TypedDict`` and validated once when they enter an agent.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict, cast

from convogen.errors import MessageError

Role = Literal["system", "user", "assistant", "tool", "function"]
ROLES: frozenset[str] = frozenset({"system", "user", "assistant", "tool", "function"})


class FunctionCall(TypedDict):
    """A function the model asks to call: its name and JSON-encoded arguments."""

    name: str
    arguments: str


class ToolCall(TypedDict):
    """One tool call requested by the model."""

    id: str
    type: Literal["function"]
    function: FunctionCall


class ToolResponse(TypedDict):
    """The result of one tool call, sent back to the model."""

    tool_call_id: str
    role: Literal["tool"]
    content: str
    is_error: NotRequired[bool]  # convogen's own: set when the call failed; never sent


class Message(TypedDict, total=False):
    """A chat message. ``content`` may be text, multimodal parts, or None for pure tool calls."""

    role: Role
    content: str | list[dict[str, Any]] | None
    name: str
    tool_calls: list[ToolCall]
    tool_responses: list[ToolResponse]
    tool_call_id: str
    function_call: FunctionCall
    context: dict[str, Any]


_KNOWN_KEYS = frozenset(Message.__annotations__)
_PAYLOAD_KEYS = frozenset({"content", "tool_calls", "function_call", "tool_responses"})


def to_message(message: str | Message | dict[str, Any], *, default_role: Role = "user") -> Message:
    """Validate a string or dict as a message and return a fresh ``Message`` dict."""
    if isinstance(message, str):
        return {"content": message, "role": default_role}
    if not isinstance(message, dict):
        raise MessageError(
            f"a message must be a str or a dict, got {type(message).__name__}: {message!r:.100}"
        )
    if not message.keys() <= _KNOWN_KEYS:
        unknown = sorted(message.keys() - _KNOWN_KEYS)
        raise MessageError(f"unknown message field(s) {unknown} in {message!r:.200}")
    if message.keys().isdisjoint(_PAYLOAD_KEYS):
        raise MessageError(
            "a message needs 'content', 'tool_calls', 'function_call' or 'tool_responses': "
            f"{message!r:.200}"
        )
    content = message.get("content")
    if content is not None and type(content) is not str and not isinstance(content, (str, list)):
        raise MessageError(
            f"message 'content' must be a str, a list of parts or None, got "
            f"{type(content).__name__}: {content!r:.100}"
        )
    role = message.get("role", default_role)
    if role not in ROLES:
        raise MessageError(f"message 'role' must be one of {sorted(ROLES)}, got {role!r}")
    calls = message.get("tool_calls")
    if calls:
        for call in calls:
            _check_tool_call(call)
    result = cast(Message, dict(message))
    if "tool_responses" in result and "role" not in message:
        role = "tool"
    result["role"] = role
    return result


def _check_tool_call(call: object) -> None:
    if not isinstance(call, dict):
        raise MessageError(f"each tool call must be a dict, got {call!r:.100}")
    function = call.get("function")
    if not isinstance(function, dict) or not isinstance(function.get("name"), str):
        raise MessageError(f"tool call needs function.name: {call!r:.200}")
    if not isinstance(call.get("id"), str):
        raise MessageError(f"tool call needs a string 'id': {call!r:.200}")


def content_str(content: str | list[dict[str, Any]] | None) -> str:
    """Render message content as text (multimodal parts joined, images shown as a tag)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for part in content:
        kind = part.get("type")
        if kind == "text":
            parts.append(str(part.get("text", "")))
        elif kind == "image_url":
            parts.append("<image>")
        else:
            parts.append(str(part))
    return "\n".join(parts)
