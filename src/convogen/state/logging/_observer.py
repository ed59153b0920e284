"""Shared plumbing of the SQLite logger and the tracer: which chat an effect belongs to."""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass
from typing import Any

from convogen.events import (
    ChatFinished,
    ChatStarted,
    Event,
    LlmCacheHit,
    MessageSent,
    SpeakerSelected,
)
from convogen.interception import (
    Proceed,
    add_sink,
    install_interceptor,
    remove_sink,
    uninstall_interceptor,
)


@dataclass
class EffectInfo:
    """One finished effect as the observers record it."""

    kind: str
    request: dict[str, Any]
    chat_id: int | None
    started_at: float
    latency_ms: float
    result: Any = None
    error: BaseException | None = None


class ChatObserver:
    """An interceptor and event sink that knows the chat each effect and message belongs to.

    ``chat_started`` is emitted from inside the chat's own task, so pushing the chat id on a
    ContextVar there scopes it to that chat (and the tasks it starts); nested chats stack.
    """

    def __init__(self) -> None:
        self._chats: contextvars.ContextVar[tuple[int, ...]] = contextvars.ContextVar(
            f"convogen_observed_chats_{id(self)}", default=()
        )
        self._installed = False

    # -------------------------------------------------------------- activation
    def install(self) -> None:
        """Start observing every effect and event, process-wide (all threads and tasks)."""
        install_interceptor(self)
        add_sink(self)
        self._installed = True

    def uninstall(self) -> None:
        """Stop observing."""
        if self._installed:
            remove_sink(self)
            uninstall_interceptor(self)
            self._installed = False

    def current_chat(self) -> int | None:
        """The innermost chat running in this context, if any."""
        chats = self._chats.get()
        return chats[-1] if chats else None

    def parent_chat(self) -> int | None:
        chats = self._chats.get()
        return chats[-2] if len(chats) > 1 else None

    # -------------------------------------------------------------- protocols
    async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any:
        """Time the effect and hand it to the hooks; never changes its result."""
        chat_id = self.current_chat()
        handle = self.effect_started(kind, request, chat_id)
        info = EffectInfo(kind, request, chat_id, time.time(), 0.0)
        began = time.perf_counter()
        try:
            info.result = await proceed()
        except BaseException as exc:
            info.error = exc
            raise
        finally:
            info.latency_ms = (time.perf_counter() - began) * 1000.0
            self.effect_finished(handle, info)
        return info.result

    def on_event(self, event: Event) -> None:
        """Track chats, then pass the event to the hooks."""
        match event:
            case ChatStarted(chat_id=chat_id):
                self._chats.set((*self._chats.get(), chat_id))
                self.chat_started(event)
            case ChatFinished(chat_id=chat_id):
                self.chat_finished(event)
                chats = self._chats.get()
                if chat_id in chats:
                    self._chats.set(tuple(c for c in chats if c != chat_id))
            case MessageSent():
                self.message(event, self.current_chat())
            case SpeakerSelected():
                self.speaker_selected(event, self.current_chat())
            case LlmCacheHit():
                self._cache_hit(event)

    def _cache_hit(self, event: LlmCacheHit) -> None:
        """A reply served from the LLM cache: logged as an LLM call with ``cached`` set.

        Cache hits do not pass through ``effect()``; the wrapper reports them as events.
        """
        chat_id = self.current_chat()
        handle = self.effect_started("llm", event.request, chat_id)
        result = {**event.response, "cached": True}
        self.effect_finished(
            handle, EffectInfo("llm", event.request, chat_id, time.time(), 0.0, result)
        )

    # -------------------------------------------------------------- hooks
    def effect_started(self, kind: str, request: dict[str, Any], chat_id: int | None) -> Any:
        """Called before an effect runs; the return value comes back to effect_finished."""
        return None

    def effect_finished(self, handle: Any, info: EffectInfo) -> None: ...

    def chat_started(self, event: ChatStarted) -> None: ...

    def chat_finished(self, event: ChatFinished) -> None: ...

    def message(self, event: MessageSent, chat_id: int | None) -> None: ...

    def speaker_selected(self, event: SpeakerSelected, chat_id: int | None) -> None: ...


def name_of(agent: Any) -> str | None:
    """An agent's name (events carry agent objects), or None."""
    if agent is None:
        return None
    name = getattr(agent, "name", agent)
    return name if isinstance(name, str) else str(name)


def total_cost(cost: Any) -> float | None:
    """The total cost (including cached calls) from a ChatResult.cost dict."""
    if not isinstance(cost, dict):
        return None
    usage = cost.get("usage_including_cached_inference")
    value = usage.get("total_cost") if isinstance(usage, dict) else None
    return float(value) if isinstance(value, int | float) else None
