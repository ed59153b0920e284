"""The cache step: look a request up before it is sent, store an accepted reply after."""

from __future__ import annotations

import json
import logging
from typing import Any

from convogen.events import LlmCacheHit
from convogen.interception import Codec, emit, has_sinks
from convogen.llm.cache import cache_key, response_from_json, response_to_json
from convogen.llm.pipeline.prepare import PreparedCall
from convogen.llm.protocol import ModelRequest, ModelResponse

logger = logging.getLogger(__name__)


def key_for(call: PreparedCall, model: str, request: ModelRequest) -> str:
    """The cache key of ``request`` to ``model`` (the call has a cache)."""
    return cache_key(model, call.messages, request.params, call.key_seed)


def lookup(call: PreparedCall, key: str) -> ModelResponse | None:
    """The cached reply under ``key``, or None (a miss, or an entry this version can't read)."""
    hit = call.cache.get(key)
    return None if hit is None else _from_cache(hit)


def store(call: PreparedCall, key: str, response: ModelResponse) -> None:
    """Cache an accepted reply under ``key``."""
    call.cache.set(key, response_to_json(response))


def announce_hit(model: str, request: ModelRequest, response: ModelResponse) -> None:
    """Tell event sinks that ``request`` was answered from the cache."""
    if has_sinks():
        emit(LlmCacheHit(describe(model, request), response_to_record(response)))


def describe(model: str, request: ModelRequest) -> dict[str, Any]:
    """The JSON description of a model call that recorders, replayers and logs see."""
    return {
        "model": model,
        "messages": request.messages,
        "params": json.loads(json.dumps(request.params, default=repr)),
    }


def response_to_record(response: ModelResponse) -> dict[str, Any]:
    """A response as the JSON value interceptors record."""
    return {**response_to_json(response), "cached": response.cached}


def response_from_record(data: Any) -> ModelResponse:
    """A response again from what ``response_to_record`` made."""
    response = response_from_json(data)
    response.cached = bool(data.get("cached", False))
    return response


RESPONSE_CODEC: Codec[ModelResponse] = Codec(encode=response_to_record, decode=response_from_record)


def _from_cache(value: Any) -> ModelResponse | None:
    try:
        return response_from_json(value)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # An entry this version cannot read (or another program wrote) is a miss, not a crash.
        logger.warning(
            "unreadable cache entry (%s: %s); treating it as a miss", type(exc).__name__, exc
        )
        return None
