"""The tool-call reply: execute the tools (or legacy function call) the model asked for."""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import TYPE_CHECKING, Any

from convogen.agents.reply_types import ReplyResult
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent


async def generate_tool_calls_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """Run each requested tool this agent can execute; errors go back to the model as text."""
    if not messages:
        return False, None
    message = messages[-1]
    calls = message.get("tool_calls") or []
    callable_calls = [c for c in calls if c["function"]["name"] in recipient.function_map]
    if not callable_calls:
        return False, None
    contents = await asyncio.gather(
        *(
            call_function(recipient.function_map, c["function"]["name"], c["function"]["arguments"])
            for c in callable_calls
        )
    )
    responses = [
        {"tool_call_id": c["id"], "role": "tool", "content": content}
        for c, content in zip(callable_calls, contents, strict=True)
    ]
    return True, {
        "role": "tool",
        "tool_responses": responses,
        "content": "\n\n".join(r["content"] for r in responses),
    }


async def call_function(functions: dict[str, Any], name: str, arguments: str | None) -> str:
    """Call ``functions[name]`` with JSON ``arguments``; any failure becomes an error message."""
    try:
        args = json.loads(arguments or "{}")
    except json.JSONDecodeError as exc:
        return f"Error: the arguments for {name} are not valid JSON ({exc}). Arguments: {arguments}"
    if not isinstance(args, dict):
        return f"Error: the arguments for {name} must be a JSON object, got {arguments}"
    func = functions[name]
    try:
        result = func(**args)
        if inspect.isawaitable(result):
            result = await result
    except Exception as exc:  # the model gets to see the error and try again
        return f"Error: {type(exc).__name__}: {exc}"
    return result if isinstance(result, str) else json.dumps(result, default=str)
