"""OpenTelemetry spans for chats, LLM calls, tools and code (GenAI semantic conventions).

opentelemetry is optional and imported only when tracing is enabled. Message contents are
not put on spans (they may be private); the SQLite log holds them.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from convogen.errors import ConfigError
from convogen.events import ChatFinished, ChatStarted
from convogen.state.logging._observer import ChatObserver, EffectInfo, name_of, total_cost

# gen_ai.system values by api_type; unknown ones are reported as-is.
_SYSTEMS = {
    "openai": "openai",
    "azure": "az.ai.openai",
    "scripted": "convogen.scripted",
    "local": "llama_cpp",
}
# Request parameters that have a gen_ai.request.* attribute.
_REQUEST_PARAMS = (
    "temperature",
    "max_tokens",
    "top_p",
    "top_k",
    "frequency_penalty",
    "presence_penalty",
    "seed",
)


def _otel(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ConfigError(
            "otel", True, "tracing needs opentelemetry: pip install opentelemetry-sdk"
        ) from exc


def gen_ai_system(request: dict[str, Any]) -> str:
    """The gen_ai.system of an LLM request (from its api_type when the request names it)."""
    api_type = request.get("api_type")
    if isinstance(api_type, str) and api_type:
        return _SYSTEMS.get(api_type, api_type)
    model = str(request.get("model") or "")
    # Without an api_type, scripted test models are recognisable by name only.
    return "convogen.scripted" if model.startswith("scripted") else "_OTHER"


class SpanObserver(ChatObserver):
    """Emits one span per chat and, nested in it, one per LLM call, tool call, code run."""

    def __init__(self, tracer_provider: Any = None) -> None:
        super().__init__()
        trace = _otel("opentelemetry.trace")
        self._trace = trace
        self._status = trace.Status
        self._code = trace.StatusCode
        from convogen import __version__

        self.tracer = trace.get_tracer("convogen", __version__, tracer_provider=tracer_provider)
        self._chat_spans: dict[int, Any] = {}
        self._lock = threading.Lock()

    def _parent(self, chat_id: int | None) -> Any:
        """The OTel context to start a child of: the chat's span, else whatever is current."""
        with self._lock:
            span = self._chat_spans.get(chat_id) if chat_id is not None else None
        return None if span is None else self._trace.set_span_in_context(span)

    # -------------------------------------------------------------- chats
    def chat_started(self, event: ChatStarted) -> None:
        chat_id = event.chat_id
        recipient = name_of(event.recipient) or "agent"
        span = self.tracer.start_span(
            f"invoke_agent {recipient}",
            context=self._parent(self.parent_chat()),
            kind=self._trace.SpanKind.INTERNAL,
            attributes={
                "gen_ai.operation.name": "invoke_agent",
                "gen_ai.agent.name": recipient,
                "convogen.chat.id": chat_id,
                "convogen.chat.sender": name_of(event.sender) or "",
                "convogen.chat.recipient": recipient,
            },
        )
        with self._lock:
            self._chat_spans[chat_id] = span

    def chat_finished(self, event: ChatFinished) -> None:
        with self._lock:
            span = self._chat_spans.pop(event.chat_id, None)
        if span is None:
            return
        result = event.result
        reason = getattr(result, "stop_reason", None)
        if reason is not None:
            span.set_attribute("convogen.stop_reason", str(reason))
        stopped_by = getattr(result, "stopped_by", None)
        if stopped_by:
            span.set_attribute("convogen.stopped_by", str(stopped_by))
        cost = total_cost(getattr(result, "cost", None))
        if cost is not None:
            span.set_attribute("convogen.cost.total", cost)
        if reason is not None and str(reason) == "error":
            span.set_status(self._status(self._code.ERROR, getattr(result, "stop_detail", "")))
        span.end()

    # -------------------------------------------------------------- effects
    def effect_started(self, kind: str, request: dict[str, Any], chat_id: int | None) -> Any:
        name, attributes = _describe(kind, request)
        return self.tracer.start_span(
            name,
            context=self._parent(chat_id),
            kind=self._trace.SpanKind.CLIENT if kind == "llm" else self._trace.SpanKind.INTERNAL,
            attributes=attributes,
        )

    def effect_finished(self, handle: Any, info: EffectInfo) -> None:
        span = handle
        result = info.result if isinstance(info.result, dict) else {}
        if info.kind == "llm" and info.error is None:
            usage = result.get("usage") or {}
            for key, attribute in (
                ("prompt_tokens", "gen_ai.usage.input_tokens"),
                ("completion_tokens", "gen_ai.usage.output_tokens"),
            ):
                if isinstance(usage.get(key), int):
                    span.set_attribute(attribute, usage[key])
            if result.get("model"):
                span.set_attribute("gen_ai.response.model", str(result["model"]))
            if isinstance(result.get("cost"), int | float):
                span.set_attribute("convogen.cost", float(result["cost"]))
            span.set_attribute("convogen.cached", bool(result.get("cached")))
        elif info.kind == "code" and isinstance(result.get("exit_code"), int):
            span.set_attribute("convogen.code.exit_code", result["exit_code"])
        if info.error is not None:
            span.set_attribute("error.type", type(info.error).__qualname__)
            span.record_exception(info.error)
            span.set_status(self._status(self._code.ERROR, str(info.error)))
        span.end()


def _describe(kind: str, request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Span name and start attributes of an effect."""
    agent = request.get("agent")
    attributes: dict[str, Any] = {}
    if isinstance(agent, str):
        attributes["gen_ai.agent.name"] = agent
    if kind == "llm":
        model = str(request.get("model") or "unknown")
        attributes.update(
            {
                "gen_ai.operation.name": "chat",
                "gen_ai.system": gen_ai_system(request),
                "gen_ai.request.model": model,
            }
        )
        params = request.get("params") or {}
        for param in _REQUEST_PARAMS:
            value = params.get(param)
            if isinstance(value, int | float) and not isinstance(value, bool):
                attributes[f"gen_ai.request.{param}"] = value
        return f"chat {model}", attributes
    if kind == "tool":
        name = str(request.get("name") or "tool")
        attributes.update({"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name})
        return f"execute_tool {name}", attributes
    if kind == "code":
        blocks = request.get("blocks") or []
        languages = [str(b.get("language")) for b in blocks if isinstance(b, dict)]
        attributes.update(
            {"convogen.code.languages": languages, "convogen.code.blocks": len(languages)}
        )
        return "execute_code", attributes
    label = "human_input" if kind == "human" else kind
    return f"{label} {agent or ''}".strip(), attributes


_tracing: SpanObserver | None = None
_tracing_lock = threading.Lock()


def enable_tracing(tracer_provider: Any = None) -> SpanObserver:
    """Emit OpenTelemetry spans for chats and effects (global tracer provider by default)."""
    global _tracing
    with _tracing_lock:
        if _tracing is not None:
            _tracing.uninstall()
        _tracing = SpanObserver(tracer_provider)
        _tracing.install()
        return _tracing


def disable_tracing() -> None:
    """Stop emitting spans; open chat spans are left unended."""
    global _tracing
    with _tracing_lock:
        if _tracing is not None:
            _tracing.uninstall()
            _tracing = None
