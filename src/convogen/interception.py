"""Interception points: where recorders, replayers and loggers see each external effect.

Every effect that leaves the process or depends on the outside world (an LLM call, a code
execution, a tool call, a person's input) goes through :func:`effect`. With no interceptor
active it simply runs; otherwise each active interceptor, outermost first, may observe it
(logging, recording) or answer it itself (replay). Results cross interceptors as JSON values,
so what one records another can replay.

Conversation events (a message sent, a chat started or ended: the dataclasses of
:mod:`convogen.events`) go to sinks through :func:`emit`; sinks only observe.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

from convogen.events import EVENT_TYPES, Event

T = TypeVar("T")
EffectKind = Literal["llm", "code", "tool", "human", "random"]
Proceed = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class Codec(Generic[T]):
    """Turns an effect's result into JSON values and back."""

    encode: Callable[[T], Any]
    decode: Callable[[Any], T]


class Interceptor(Protocol):
    """Sees an effect: calls ``proceed()`` to run it (or the next interceptor), or answers it."""

    async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any: ...


class EventSink(Protocol):
    """Receives conversation events; ignores the event classes it does not handle."""

    def on_event(self, event: Event) -> None: ...


_interceptors: contextvars.ContextVar[tuple[Interceptor, ...]] = contextvars.ContextVar(
    "convogen_interceptors", default=()
)
_sinks: list[EventSink] = []
_scoped_sinks: contextvars.ContextVar[tuple[EventSink, ...]] = contextvars.ContextVar(
    "convogen_sinks", default=()
)
_global_interceptors: tuple[Interceptor, ...] = ()


@contextlib.contextmanager
def intercepting(interceptor: Interceptor) -> Iterator[Interceptor]:
    """Activate ``interceptor`` for the code (and tasks) run inside the ``with`` block."""
    token = _interceptors.set((*_interceptors.get(), interceptor))
    try:
        yield interceptor
    finally:
        _interceptors.reset(token)


def install_interceptor(interceptor: Interceptor) -> None:
    """Activate ``interceptor`` process-wide (outside every context-scoped one)."""
    global _global_interceptors
    if interceptor not in _global_interceptors:
        _global_interceptors = (*_global_interceptors, interceptor)


def uninstall_interceptor(interceptor: Interceptor) -> None:
    """Undo ``install_interceptor``."""
    global _global_interceptors
    _global_interceptors = tuple(i for i in _global_interceptors if i is not interceptor)


def active_interceptors() -> tuple[Interceptor, ...]:
    """Process-wide interceptors first, then those of the current context."""
    return (*_global_interceptors, *_interceptors.get())


async def effect(
    kind: EffectKind, request: dict[str, Any], run: Callable[[], Awaitable[T]], codec: Codec[T]
) -> T:
    """Run an external effect through the active interceptors."""
    chain = active_interceptors()
    if not chain:
        return await run()

    async def call(index: int) -> Any:
        if index == len(chain):
            return codec.encode(await run())
        return await chain[index].intercept(kind, request, lambda: call(index + 1))

    return codec.decode(await call(0))


def add_sink(sink: EventSink) -> None:
    """Send conversation events to ``sink`` (process-wide)."""
    if sink not in _sinks:
        _sinks.append(sink)


def remove_sink(sink: EventSink) -> None:
    """Stop sending events to ``sink`` (no error when it was not added)."""
    if sink in _sinks:
        _sinks.remove(sink)


def emit(event: Event, /) -> None:
    """Tell every sink about a conversation ``event`` (an object of :mod:`convogen.events`)."""
    if not isinstance(event, EVENT_TYPES):
        raise TypeError(f"emit: {event!r:.80} is not an event of convogen.events")
    for sink in (*_sinks, *_scoped_sinks.get()):
        sink.on_event(event)


@contextlib.contextmanager
def sinking(sink: EventSink) -> Iterator[EventSink]:
    """Send the events of the code (and tasks) run inside the ``with`` block to ``sink``."""
    token = _scoped_sinks.set((*_scoped_sinks.get(), sink))
    try:
        yield sink
    finally:
        _scoped_sinks.reset(token)


def has_sinks() -> bool:
    """Whether any sink listens (check it before building an event on a hot path)."""
    return bool(_sinks) or bool(_scoped_sinks.get())


JSON_CODEC: Codec[Any] = Codec(encode=lambda value: value, decode=lambda value: value)
