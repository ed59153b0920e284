"""The tool-call replies: execute the tools (or legacy function call) the model asked for."""

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


async def generate_function_call_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """Run the legacy ``function_call`` of the last message, if this agent can execute it."""
    if not messages:
        return False, None
    function_call = messages[-1].get("function_call")
    if not function_call or function_call.get("name") not in recipient.function_map:
        return False, None
    _, reply = await execute_function(recipient, dict(function_call))
    return True, reply


async def generate_tool_calls_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """Run the requested tools this agent can execute, in parallel; errors become messages."""
    if not messages:
        return False, None
    calls = [
        c
        for c in messages[-1].get("tool_calls") or []
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


async def execute_function(
    agent: ConversableAgent, func_call: dict[str, Any]
) -> tuple[bool, dict[str, Any]]:
    """Run one ``{"name", "arguments"}`` call: (succeeded, a 'function' role message)."""
    name = str(func_call.get("name", ""))
    if name not in agent.function_map:
        content = f"Error: Function {name} not found."
        return False, {"name": name, "role": "function", "content": content}
    failed: list[bool] = []
    content = await run_function(agent, name, func_call.get("arguments"), failed)
    return not failed, {"name": name, "role": "function", "content": content}


async def run_function(
    agent: ConversableAgent, name: str, arguments: str | None, failed: list[bool] | None = None
) -> str:
    """Call a registered tool (validated against its schema) or an untyped function map entry.

    When given, ``failed`` gets one item appended if the call failed.
    """
    from convogen.tools import invoke_tool

    tool = agent.tools.get(name)

    async def run() -> str:
        if tool is not None:
            outcome = await invoke_tool(tool, arguments)
            if outcome.is_error and failed is not None:
                failed.append(True)
            return outcome.content
        return await _call_untyped(agent.function_map[name], name, arguments, failed)

    request = {"agent": agent.name, "name": name, "arguments": arguments}
    return await effect("tool", request, run, JSON_CODEC)


async def _call_untyped(
    func: Any, name: str, arguments: str | None, failed: list[bool] | None
) -> str:
    errors = [] if failed is None else failed
    try:
        args = json.loads(arguments or "{}")
    except json.JSONDecodeError as exc:
        errors.append(True)
        return f"Error: the arguments for {name} are not valid JSON ({exc}). Arguments: {arguments}"
    if not isinstance(args, dict):
        errors.append(True)
        return f"Error: the arguments for {name} must be a JSON object, got {arguments}"
    try:
        result = func(**args)
        if inspect.isawaitable(result):
            result = await result
    except Exception as exc:  # the model sees the error and may try again
        errors.append(True)
        return f"Error: {type(exc).__name__}: {exc}"
    from convogen.tools import result_to_str

    return result_to_str(result)
