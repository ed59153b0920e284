"""The tool-call replies: execute the tools (or legacy function call) the model asked for.

Both replies, and 0.2's ``execute_function``, run calls through ``convogen.tools.run_tool``,
the one execution path, with 0.2's error texts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from convogen.agents.reply_types import PASS, Replied, ReplyStep
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent
    from convogen.tools import ToolOutcome, ToolTarget


async def generate_function_call_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyStep:
    """Run the legacy ``function_call`` of the last message (as 0.2: an unknown one is an error)."""
    if not messages:
        return PASS
    function_call = messages[-1].get("function_call")
    if not function_call:
        return PASS
    _, reply = await execute_function(recipient, dict(function_call))
    return Replied(reply)


async def generate_tool_calls_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyStep:
    """Run the requested tools this agent can execute, in parallel; errors become messages."""
    if not messages:
        return PASS
    calls = messages[-1].get("tool_calls") or []
    if not any(c["function"]["name"] in recipient.function_map for c in calls):
        return PASS
    from convogen.tools import CLASSIC_TEXTS, execute_tool_calls

    # Every call gets a response (the API refuses a reply missing one): unknown ones an error.
    responses = await execute_tool_calls(
        executable(recipient), calls, agent=recipient.name, texts=CLASSIC_TEXTS
    )
    return Replied(
        {
            "role": "tool",
            "tool_responses": responses,
            "content": "\n\n".join(r["content"] for r in responses),
        }
    )


async def execute_function(
    agent: ConversableAgent, func_call: dict[str, Any]
) -> tuple[bool, dict[str, Any]]:
    """Run one ``{"name", "arguments"}`` call: (succeeded, a 'function' role message)."""
    name = str(func_call.get("name") or "")
    outcome = await run_function(agent, name, func_call.get("arguments"))
    return not outcome.is_error, {"name": name, "role": "function", "content": outcome.content}


async def run_function(agent: ConversableAgent, name: str, arguments: Any) -> ToolOutcome:
    """Run one call of ``agent``'s function ``name`` on the one tool path, 0.2's texts."""
    from convogen.tools import CLASSIC_TEXTS, run_tool

    return await run_tool(executable(agent), name, arguments, agent=agent.name, texts=CLASSIC_TEXTS)


def executable(agent: ConversableAgent) -> dict[str, ToolTarget]:
    """What ``agent`` executes by name: its typed tool, else the function map entry as is."""
    tools = agent.tools
    return {name: tools.get(name) or func for name, func in agent.function_map.items()}


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
