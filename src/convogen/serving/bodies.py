"""OpenAI response bodies: chat completions, streamed chunks and the model list."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from convogen.llm.protocol import ModelResponse
from convogen.messages import Message


def message_out(message: Message) -> dict[str, Any]:
    """An assistant message as OpenAI returns it (content, plus tool_calls when any)."""
    out: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
    if message.get("tool_calls"):
        out["tool_calls"] = message["tool_calls"]
    return out


def finish_reason(response: ModelResponse, index: int) -> str:
    """Why choice ``index`` ended: tool_calls, length or stop."""
    if response.choices[index].get("tool_calls"):
        return "tool_calls"
    raws = response.raw if isinstance(response.raw, list) else []
    if index < len(raws) and isinstance(raws[index], dict):
        reason = raws[index].get("choices", [{}])[0].get("finish_reason")
        if isinstance(reason, str):
            return reason
    return "stop"


def usage_out(response: ModelResponse) -> dict[str, int]:
    """OpenAI's usage object."""
    usage = response.usage
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }


def completion_body(response: ModelResponse) -> dict[str, Any]:
    """A ``chat.completion`` object."""
    choices = [
        {
            "index": i,
            "message": message_out(message),
            "finish_reason": finish_reason(response, i),
            "logprobs": None,
        }
        for i, message in enumerate(response.choices)
    ]
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": response.model,
        "choices": choices,
        "usage": usage_out(response),
    }


def models_body(model: str) -> dict[str, Any]:
    """The ``GET /v1/models`` list: the one served model."""
    return {"object": "list", "data": [model_body(model)]}


def model_body(model: str) -> dict[str, Any]:
    """One ``model`` object."""
    return {"id": model, "object": "model", "created": 0, "owned_by": "convogen"}


class ChunkWriter:
    """Builds the server-sent events of one streamed completion."""

    def __init__(self, model: str) -> None:
        self.base = {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
        }

    def delta(self, delta: dict[str, Any], finish: str | None = None, index: int = 0) -> bytes:
        """A chunk carrying ``delta`` for choice ``index``."""
        choice = {"index": index, "delta": delta, "finish_reason": finish, "logprobs": None}
        return event({**self.base, "choices": [choice]})

    def ending(self, response: ModelResponse, streamed: bool, include_usage: bool) -> list[bytes]:
        """The closing chunks: whole messages when nothing was streamed, finish reasons, usage."""
        out: list[bytes] = []
        for index, message in enumerate(response.choices):
            if not streamed:
                # Shaped replies (tool calls, schemas, choices) are not streamed token by token.
                delta = message_out(message)
                if "tool_calls" in delta:
                    delta["tool_calls"] = [
                        {**call, "index": n} for n, call in enumerate(delta["tool_calls"])
                    ]
                out.append(self.delta(delta, index=index))
            out.append(self.delta({}, finish_reason(response, index), index))
        if include_usage:
            out.append(event({**self.base, "choices": [], "usage": usage_out(response)}))
        out.append(DONE)
        return out


def event(data: dict[str, Any]) -> bytes:
    """One server-sent event carrying ``data`` as JSON."""
    return b"data: " + json.dumps(data).encode("utf-8") + b"\n\n"


DONE = b"data: [DONE]\n\n"
