"""Between convogen messages and what a small chat-templated model understands.

SmolLM2's chat template knows system, user and assistant turns only, and no tool protocol.
Tool definitions therefore go into the system prompt, the model's tool calls are JSON objects
``{"name": ..., "arguments": {...}}`` (the shape the tool grammar forces), and tool results come
back as user turns that say which call they answer.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any, cast

from convogen.errors import ConfigError
from convogen.llm.local.grammars import tool_signatures
from convogen.messages import Message, content_str

_call_ids = itertools.count(1)
_call_ids_lock = threading.Lock()


def next_call_id() -> str:
    """A process-unique tool call id: ``call_1``, ``call_2``, ..."""
    with _call_ids_lock:
        return f"call_{next(_call_ids)}"


def tools_prompt(tools: list[dict[str, Any]], required: str | None) -> str:
    """System-prompt text describing ``tools`` and how to call one."""
    lines = ["You can call these functions:"]
    by_name = {t["function"]["name"]: t["function"] for t in tools}
    for name, parameters in tool_signatures(tools):
        description = by_name[name].get("description") or ""
        props = parameters.get("properties") or {}
        args = ", ".join(f"{arg}: {spec.get('type', 'any')}" for arg, spec in props.items())
        lines.append(f"- {name}({args})" + (f": {description}" if description else ""))
    lines.append(
        'To call a function, reply with only a JSON object: {"name": <function name>, '
        '"arguments": {<argument>: <value>}}.'
    )
    if required == "any":
        lines.append("You must call one of the functions now.")
    elif required is not None:
        lines.append(f"You must call the function {required} now.")
    return "\n".join(lines)


def _tool_call_text(message: Message) -> str:
    parts: list[str] = []
    for call in message.get("tool_calls") or []:
        function = call["function"]
        parts.append(_call_json(function["name"], function.get("arguments") or "{}"))
    legacy = message.get("function_call")
    if legacy:
        parts.append(_call_json(legacy["name"], legacy.get("arguments") or "{}"))
    return "\n".join(parts)


def _call_json(name: str, arguments: str) -> str:
    try:
        parsed: Any = json.loads(arguments)
    except ValueError:
        parsed = arguments
    return json.dumps({"name": name, "arguments": parsed})


def to_chat_messages(
    messages: list[Message], system_extra: str | None = None
) -> list[dict[str, str]]:
    """Messages as ``{"role", "content"}`` dicts with system/user/assistant roles and text only."""
    call_names: dict[str, str] = {}
    out: list[dict[str, str]] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise ConfigError(f"messages[{index}]", message, "must be a message dict")
        role = message.get("role", "user")
        text = content_str(message.get("content"))
        for call in message.get("tool_calls") or []:
            call_names[call["id"]] = call["function"]["name"]
        if role == "assistant":
            calls = _tool_call_text(message)
            text = "\n".join(t for t in (text, calls) if t)
            out.append({"role": "assistant", "content": text})
        elif role in ("tool", "function"):
            out.extend(_tool_results(message, call_names, text))
        elif role == "system":
            out.append({"role": "system", "content": text})
        else:
            out.append({"role": "user", "content": text})
    if system_extra:
        if out and out[0]["role"] == "system":
            out[0] = {"role": "system", "content": f"{out[0]['content']}\n\n{system_extra}"}
        else:
            out.insert(0, {"role": "system", "content": system_extra})
    return out


def _tool_results(message: Message, call_names: dict[str, str], text: str) -> list[dict[str, str]]:
    responses = message.get("tool_responses")
    if responses:
        return [
            _tool_result(call_names.get(r.get("tool_call_id", ""), ""), r.get("content", ""))
            for r in responses
        ]
    name = message.get("name") or call_names.get(message.get("tool_call_id", ""), "")
    return [_tool_result(name, text)]


def _tool_result(name: str, text: str) -> dict[str, str]:
    label = f"function {name}" if name else "the function"
    return {"role": "user", "content": f"Result of {label}: {text}"}


def parse_tool_call(text: str) -> Message | None:
    """The assistant message with one ``tool_calls`` entry for a JSON call, else None."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    arguments = data.get("arguments", {})
    call = {
        "id": next_call_id(),
        "type": "function",
        "function": {"name": data["name"], "arguments": json.dumps(arguments)},
    }
    return cast(Message, {"role": "assistant", "content": None, "tool_calls": [call]})
