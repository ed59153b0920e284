"""The tool-call replies: execute the tools (or legacy function call) the model asked for."""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import TYPE_CHECKING, Any

from convogen.agents.reply_types import ReplyResult
from convogen.interception import JSON_CODEC, effect
from convogen.messages import Message, ToolCall

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent


async def generate_function_call_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """Run the legacy ``function_call`` of the last message (as 0.2: an unknown one is an error)."""
    if not messages:
        return False, None
    function_call = messages[-1].get("function_call")
    if not function_call:
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
    calls = messages[-1].get("tool_calls") or []
    if not any(c["function"]["name"] in recipient.function_map for c in calls):
        return False, None
    # Every call gets a response (the API refuses a reply missing one): unknown ones an error.
    contents = await asyncio.gather(*(_run_call(recipient, c) for c in calls))
    responses = [
        {"tool_call_id": c["id"], "role": "tool", "content": content}
        for c, content in zip(calls, contents, strict=True)
    ]
    return True, {
        "role": "tool",
        "tool_responses": responses,
        "content": "\n\n".join(contents),
    }


async def _run_call(agent: ConversableAgent, call: ToolCall) -> str:
    name = call["function"]["name"]
    if name not in agent.function_map:
        return f"Error: Function {name} not found."
    return await run_function(agent, name, call["function"]["arguments"])


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

    request = {"agent": agent.name, "name": name, "arguments": arguments}
    if isinstance(arguments, str):
        arguments = format_json_str(arguments)

    async def run() -> str:
        bad_json = _json_problem(arguments)
        if bad_json is not None:
            if failed is not None:
                failed.append(True)
            return bad_json
        if tool is not None:
            outcome = await invoke_tool(tool, arguments)
            if outcome.is_error and failed is not None:
                failed.append(True)
            # A raised exception reads as in 0.2; argument problems keep the tools room's text.
            return outcome.content if outcome.exception is None else f"Error: {outcome.exception}"
        return await _call_untyped(agent.function_map[name], name, arguments, failed)

    return await effect("tool", request, run, JSON_CODEC)


def format_json_str(jstr: str) -> str:
    """Arguments as 0.2 reads them: newlines dropped between tokens, escaped inside strings."""
    out: list[str] = []
    in_string = False
    previous = ""
    for char in jstr:
        if char == '"' and previous != "\\":
            in_string = not in_string
        previous = char
        if char == "\n":
            if in_string:
                out.append("\\n")
            continue
        out.append("\\t" if in_string and char == "\t" else char)
    return "".join(out)


def _json_problem(arguments: Any) -> str | None:
    """0.2's model-facing text for arguments that are not JSON, else None."""
    if not isinstance(arguments, str) or not arguments.strip():
        return None
    try:
        json.loads(arguments)
    except json.JSONDecodeError as exc:
        return f"Error: {exc}\n The argument must be in JSON format."
    return None


async def _call_untyped(
    func: Any, name: str, arguments: str | None, failed: list[bool] | None
) -> str:
    errors = [] if failed is None else failed
    args = json.loads(arguments or "{}")  # checked by _json_problem
    if not isinstance(args, dict):
        errors.append(True)
        return f"Error: the arguments for {name} must be a JSON object, got {arguments}"
    try:
        result = func(**args)
        if inspect.isawaitable(result):
            result = await result
    except Exception as exc:  # the model sees the error and may try again (0.2's wording)
        errors.append(True)
        return f"Error: {exc}"
    from convogen.tools import result_to_str

    return result_to_str(result)
