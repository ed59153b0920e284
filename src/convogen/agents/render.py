"""Console rendering of a conversation that a person can follow."""

from __future__ import annotations

import json
from typing import Any

from convogen.agents.io import ConsoleIO, IOStream, ScriptedIO
from convogen.messages import Message, content_str

_SEPARATOR = "-" * 80


def escape(text: str) -> str:
    """Make ``text`` print literally through rich (rich loads only when something prints)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


class _PlainText:
    """A stream that does not render rich markup (a 0.2 custom stream) gets plain text."""

    def __init__(self, io: IOStream) -> None:
        self._io = io

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        from rich.text import Text

        plain = [Text.from_markup(o).plain if isinstance(o, str) else o for o in objects]
        self._io.print(*plain, sep=sep, end=end)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        return self._io.input(prompt, password=password)


def _for_markup(io: IOStream) -> IOStream:
    return io if isinstance(io, (ConsoleIO, ScriptedIO)) else _PlainText(io)


def render_message(io: IOStream, sender: str, recipient: str, message: Message) -> None:
    """Print one message: who sent it to whom, its text, tool calls and tool results."""
    io = _for_markup(io)
    # str(): a classic ``Agent`` subclass may leave its name unset (None).
    who, to = escape(str(sender)), escape(str(recipient))
    io.print(f"[bold yellow]{who}[/] (to [bold cyan]{to}[/]):\n")
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
    io = _for_markup(io)
    io.print(f"[{style}]{escape(text)}[/]")


def _pretty_arguments(arguments: str) -> str:
    try:
        return json.dumps(json.loads(arguments), indent=2)
    except (ValueError, TypeError):
        return arguments
