"""The records of classic AutoGen's runtime log (chat completions, agents, events, calls).

Both log writers (SQLite and JSON lines) build their rows from these, so the two agree on
what a record holds. Everything that could carry a credential passes through
:func:`convogen.redaction.redact` here, before any writer sees it.
"""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from typing import Any

from convogen.redaction import redact
from convogen.state.logging._observer import EffectInfo

# Constructor arguments never logged (credentials and endpoints), as in classic AutoGen.
EXCLUDED_INIT_ARGS = frozenset(
    {
        "self",
        "__class__",
        "api_key",
        "organization",
        "base_url",
        "azure_endpoint",
        "azure_ad_token",
        "azure_ad_token_provider",
    }
)


def current_ts() -> str:
    """The UTC time as classic AutoGen logs it: ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    now = datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m-%d %H:%M:%S.%f")


def ts_of(epoch: float) -> str:
    """A ``time.time()`` value in the log's timestamp format."""
    moment = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def safe_json(value: Any) -> str:
    """JSON text; what JSON can't hold becomes ``<<non-serializable: Type>>``."""
    return json.dumps(value, default=_placeholder, ensure_ascii=False)


def _placeholder(value: Any) -> str:
    return f"<<non-serializable: {type(value).__qualname__}>>"


def redacted_json(value: Any) -> str:
    """JSON text of ``value`` with every credential masked."""
    return safe_json(redact(value))


def without_secrets(init_args: Any) -> Any:
    """Constructor arguments minus the excluded keys (at every depth), credentials masked."""
    return redact(_drop_excluded(init_args))


def _drop_excluded(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _drop_excluded(v) for k, v in value.items() if k not in EXCLUDED_INIT_ARGS}
    if isinstance(value, list | tuple):
        return [_drop_excluded(v) for v in value]
    return value


def source_name(source: Any) -> str | None:
    """The name of an agent (or the string given as a source)."""
    if source is None or isinstance(source, str):
        return source
    name = getattr(source, "name", None)
    return str(name) if name is not None else str(source)


@dataclass(frozen=True)
class CompletionRecord:
    """One chat completion: the classic ``chat_completions`` columns plus convogen's extras."""

    invocation_id: str
    client_id: int | None
    wrapper_id: int | None
    source_name: str | None
    request: dict[str, Any]
    response: dict[str, Any] | None
    is_cached: int
    cost: float | None
    start_time: str
    end_time: str
    chat_id: int | None = None
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: float | None = None
    error: str | None = None
    started_at: float | None = None


def classic_request(request: dict[str, Any]) -> dict[str, Any]:
    """A logged model call as classic AutoGen logs ``create()``'s arguments: flat, redacted."""
    params = request.get("params")
    flat = dict(params) if isinstance(params, dict) else {}
    flat["model"] = request.get("model")
    flat["messages"] = request.get("messages")
    result: dict[str, Any] = redact(flat)
    return result


def classic_response(result: Any) -> dict[str, Any] | None:
    """A convogen response record in the shape of an OpenAI ``ChatCompletion``."""
    if not isinstance(result, dict):
        return None
    usage = result.get("usage") or {}
    prompt = int(usage.get("prompt_tokens") or 0)
    completion = int(usage.get("completion_tokens") or 0)
    choices = [
        {
            "index": i,
            "message": choice,
            "finish_reason": "tool_calls" if choice.get("tool_calls") else "stop",
        }
        for i, choice in enumerate(result.get("choices") or [])
    ]
    return {
        "object": "chat.completion",
        "model": result.get("model"),
        "choices": choices,
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
        "cost": result.get("cost"),
    }


def completion_from_effect(info: EffectInfo, source: str | None) -> CompletionRecord:
    """The record of an intercepted (or cache-served) model call."""
    result = info.result if isinstance(info.result, dict) and info.error is None else {}
    usage = result.get("usage") or {}
    cost = result.get("cost")
    return CompletionRecord(
        invocation_id=str(uuid.uuid4()),
        client_id=None,
        wrapper_id=None,
        source_name=source,
        request=classic_request(info.request),
        response=classic_response(result) if info.error is None else None,
        is_cached=int(bool(result.get("cached"))),
        cost=float(cost) if isinstance(cost, int | float) else None,
        start_time=ts_of(info.started_at),
        end_time=ts_of(info.started_at + info.latency_ms / 1000.0),
        chat_id=info.chat_id,
        model=result.get("model") or info.request.get("model"),
        prompt_tokens=usage.get("prompt_tokens"),
        completion_tokens=usage.get("completion_tokens"),
        latency_ms=info.latency_ms,
        error=None if info.error is None else f"{type(info.error).__name__}: {info.error}",
        started_at=info.started_at,
    )


def response_as_dict(response: Any) -> dict[str, Any]:
    """What a caller of ``log_chat_completion`` passed as the response, as a JSON object."""
    if response is None or isinstance(response, str):
        return {"response": response}
    if isinstance(response, dict):
        return response
    dump = getattr(response, "model_dump", None)  # an openai ChatCompletion
    if callable(dump):
        dumped = dump()
        if isinstance(dumped, dict):
            return dumped
    return {"response": str(response)}
