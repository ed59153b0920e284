"""Cache keys and the JSON form of a cached ``ModelResponse``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

from convogen.llm.protocol import ModelResponse, Usage
from convogen.messages import Message

# Options that change how a reply is delivered, not what it says: a streamed reply and a
# non-streamed one with the same inputs may share a cache entry.
_NOT_IN_KEY = frozenset({"timeout", "stream", "stream_output", "stream_options", "cache"})


def _fallback(value: object) -> str:
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    # repr() of most objects includes an address: such a request simply never hits the cache,
    # which is safe, where a constant placeholder could return a reply meant for another value.
    return repr(value)


# Built once (``json.dumps`` with options builds an encoder per call); the same settings as
# ever, so keys written by earlier versions still match.
_KEY_ENCODER = json.JSONEncoder(sort_keys=True, default=_fallback)


def cache_key(
    model: str,
    messages: Sequence[Message | Mapping[str, Any]],
    params: Mapping[str, Any],
    cache_seed: int | str | None,
) -> str:
    """SHA-256 over model, messages, request params and seed (canonical JSON)."""
    payload = {
        "model": model,
        "messages": list(messages),
        "params": {k: v for k, v in params.items() if k not in _NOT_IN_KEY},
        "cache_seed": cache_seed,
    }
    return hashlib.sha256(_KEY_ENCODER.encode(payload).encode()).hexdigest()


def response_to_json(response: ModelResponse) -> dict[str, Any]:
    """The JSON-serialisable part of a response (``raw`` is left out)."""
    return {
        "choices": [dict(c) for c in response.choices],
        "model": response.model,
        "usage": {
            "prompt_tokens": response.usage.prompt_tokens,
            "completion_tokens": response.usage.completion_tokens,
        },
        "cost": response.cost,
    }


def response_from_json(data: Mapping[str, Any]) -> ModelResponse:
    """Rebuild a cached response, marked ``cached=True``."""
    usage = data.get("usage") or {}
    return ModelResponse(
        choices=cast(list[Message], [dict(c) for c in data["choices"]]),
        model=str(data["model"]),
        usage=Usage(int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))),
        cost=data.get("cost"),
        cached=True,
    )
