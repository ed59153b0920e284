"""Assembling streamed chat-completion chunks into full messages (text and tool calls)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, cast

from convogen.llm.protocol import Usage
from convogen.messages import Message

StreamOutput = Callable[[str], None]


def default_stream_output(text: str) -> None:
    """Write streamed text to stdout as it arrives."""
    sys.stdout.write(text)
    sys.stdout.flush()


class _Choice:
    def __init__(self) -> None:
        self.content: list[str] = []
        self.tool_calls: dict[int, dict[str, Any]] = {}
        self.function_name = ""
        self.function_args: list[str] = []
        self.finish_reason: str | None = None

    def message(self) -> Message:
        text = "".join(self.content)
        result: dict[str, Any] = {"role": "assistant", "content": text or None}
        if self.tool_calls:
            result["tool_calls"] = [
                {
                    "id": call["id"],
                    "type": "function",
                    "function": {"name": call["name"], "arguments": "".join(call["arguments"])},
                }
                for _, call in sorted(self.tool_calls.items())
            ]
        if self.function_name:
            result["function_call"] = {
                "name": self.function_name,
                "arguments": "".join(self.function_args),
            }
        if not self.tool_calls and not self.function_name and result["content"] is None:
            result["content"] = ""
        return cast(Message, result)


class StreamAccumulator:
    """Feed SDK chunks with ``add``; read the assembled ``messages()`` and ``usage`` at the end."""

    def __init__(self) -> None:
        self._choices: dict[int, _Choice] = {}
        self.usage: Usage | None = None
        self.model: str | None = None
        self.printed = False

    def add(self, chunk: Any) -> str:
        """Merge one chunk; returns the text of choice 0 to show (the others would interleave)."""
        if getattr(chunk, "model", None):
            self.model = chunk.model
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            self.usage = Usage(usage.prompt_tokens or 0, usage.completion_tokens or 0)
        shown = ""
        for choice in getattr(chunk, "choices", None) or []:
            state = self._choices.setdefault(choice.index or 0, _Choice())
            delta = choice.delta
            if choice.finish_reason:
                state.finish_reason = choice.finish_reason
            if delta is None:
                continue
            if delta.content:
                state.content.append(delta.content)
                if (choice.index or 0) == 0:
                    shown += delta.content
            for call in delta.tool_calls or []:
                # Tool calls arrive as fragments keyed by index: id and name first, then
                # the JSON arguments in pieces.
                slot = state.tool_calls.setdefault(
                    call.index, {"id": "", "name": "", "arguments": []}
                )
                if call.id:
                    slot["id"] = call.id
                if call.function is not None:
                    if call.function.name:
                        slot["name"] += call.function.name
                    if call.function.arguments:
                        slot["arguments"].append(call.function.arguments)
            function_call = getattr(delta, "function_call", None)
            if function_call is not None:
                state.function_name += function_call.name or ""
                state.function_args.append(function_call.arguments or "")
        if shown:
            self.printed = True
        return shown

    def messages(self) -> list[Message]:
        """One assembled message per choice index."""
        if not self._choices:
            return [cast(Message, {"role": "assistant", "content": ""})]
        return [state.message() for _, state in sorted(self._choices.items())]
