"""The tool-call reply: execute the tools (or legacy function call) the model asked for."""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import TYPE_CHECKING, Any

from convogen.agents.reply_types import ReplyResult
from convogen.interception import JSON_CODEC, effect
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent


async def generate_tool_calls_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """Run the requested tools this agent can execute, in parallel; errors become messages."""
    if not messages:
        return False, None
    message = messages[-1]
    function_call = message.get("function_call")
    if function_call and function_call["name"] in recipient.function_map:
        content = await run_function(recipient, function_call["name"], function_call["arguments"])
        return True, {"role": "function", "name": function_call["name"], "content": content}
    calls = [
        c
        for c in message.get("tool_calls") or []
        if c["function"]["name"] in recipient.function_map
    ]
    if not calls:
        return False, None
    contents = await asyncio.gather(
        *(run_function(recipient, c["function"]["name"], c["function"]["arguments"]) for c in calls)
    )
    responses = [
        {"tool_call_id": c["id"], "role": "tool", "content": content}
        for c, content in zip(calls, contents, strict=True)
    ]
    return True, {
        "role": "tool",
        "tool_responses": responses,
        "content": "\n\n".join(contents),
    }


async def run_function(agent: ConversableAgent, name: str, arguments: str | None) -> str:
    """Call a registered tool (validated against its schema) or an untyped function map entry."""
    from convogen.tools import invoke_tool

    tool = agent.tools.get(name)

    async def run() -> str:
        if tool is not None:
            return (await invoke_tool(tool, arguments)).content
        return await _call_untyped(agent.function_map[name], name, arguments)

    request = {"agent": agent.name, "name": name, "arguments": arguments}
    return await effect("tool", request, run, JSON_CODEC)


async def _call_untyped(func: Any, name: str, arguments: str | None) -> str:
    try:
        args = json.loads(arguments or "{}")
    except json.JSONDecodeError as exc:
        return f"Error: the arguments for {name} are not valid JSON ({exc}). Arguments: {arguments}"
    if not isinstance(args, dict):
        return f"Error: the arguments for {name} must be a JSON object, got {arguments}"
    try:
        result = func(**args)
        if inspect.isawaitable(result):
            result = await result
    except Exception as exc:  # the model sees the error and may try again
        return f"Error: {type(exc).__name__}: {exc}"
    from convogen.tools import result_to_str

    return result_to_str(result)
