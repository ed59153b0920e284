"""Console rendering of a conversation that a person can follow."""

from __future__ import annotations

import json

from convogen.agents.io import IOStream
from convogen.messages import Message, content_str

_SEPARATOR = "-" * 80


def escape(text: str) -> str:
    """Make ``text`` print literally through rich (rich loads only when something prints)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def render_message(io: IOStream, sender: str, recipient: str, message: Message) -> None:
    """Print one message: who sent it to whom, its text, tool calls and tool results."""
    io.print(f"[bold yellow]{escape(sender)}[/] (to [bold cyan]{escape(recipient)}[/]):\n")
    for response in message.get("tool_responses") or []:
        io.print(f"[green]***** Response from calling tool ({response['tool_call_id']}) *****[/]")
        io.print(escape(str(response.get("content", ""))))
    if not message.get("tool_responses"):
        text = content_str(message.get("content"))
        if text:
            io.print(escape(text))
    function_call = message.get("function_call")
    if function_call:
        io.print(f"[green]***** Suggested function call: {escape(function_call['name'])} *****[/]")
        io.print(escape(function_call.get("arguments", "")))
    for call in message.get("tool_calls") or []:
        fn = call["function"]
        title = f"Suggested tool call ({escape(call['id'])}): {escape(fn['name'])}"
        io.print(f"[green]***** {title} *****[/]")
        io.print(escape(_pretty_arguments(fn.get("arguments", ""))))
    io.print(f"\n[dim]{_SEPARATOR}[/]")


def render_note(io: IOStream, text: str, style: str = "red") -> None:
    """Print a status line such as 'USING AUTO REPLY...'."""
    io.print(f"[{style}]{escape(text)}[/]")


def _pretty_arguments(arguments: str) -> str:
    try:
        return json.dumps(json.loads(arguments), indent=2)
    except (ValueError, TypeError):
        return arguments
