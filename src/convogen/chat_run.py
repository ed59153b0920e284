"""The state of one chat run: its cache, what it cost, what people typed, its files, its stop.

A ``ChatRun`` lives in a context variable for as long as its chat runs. Model calls read the
cache from it and record usage into it; human input and produced files are recorded into it;
the chat loop records why it stopped. A nested chat opens its own run, and the outer run is
current again when the nested one ends (by construction of ``contextvars``). What a nested run
records (usage, human input, files) is also recorded in the runs around it: the outer chat's
result accounts for everything spent while it ran. The cache and the stop are the run's own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from convogen.results import StopInfo, UsageRecord

_run_ids = itertools.count(1)
_current: ContextVar[ChatRun | None] = ContextVar("convogen_chat_run", default=None)


@dataclass(eq=False)
class ChatRun:
    """What one chat has cached through, spent, been told by people and produced."""

    chat_id: int
    cache: object | None = None
    usage: list[UsageRecord] = field(default_factory=list)
    human_inputs: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    stop: StopInfo | None = None
    parent: ChatRun | None = None


def current_run() -> ChatRun | None:
    """The run of the chat in progress in this context, if any."""
    return _current.get()


@contextmanager
def chat_run(cache: object | None = None, chat_id: int | None = None) -> Iterator[ChatRun]:
    """Make a new run current for the body of the ``with``; the previous one comes back after."""
    run = ChatRun(
        chat_id=next(_run_ids) if chat_id is None else chat_id,
        cache=cache,
        parent=_current.get(),
    )
    token = _current.set(run)
    try:
        yield run
    finally:
        _current.reset(token)


def cache_for_call(fallback: object = None) -> object | None:
    """The cache a model call goes through: the current run's, else ``fallback``.

    ``fallback`` is the calling agent's classic ``client_cache`` attribute (AutoGen 0.2), which
    a user may set by hand; a chat never sets it.
    """
    run = _current.get()
    if run is not None and run.cache is not None:
        return run.cache
    return fallback


def _current_lineage() -> Iterator[ChatRun]:
    """The current run and every run around it, innermost first (none outside a chat)."""
    run = _current.get()
    while run is not None:
        yield run
        run = run.parent


def record_usage(record: UsageRecord) -> None:
    """Account one model call to the current run and the runs around it."""
    for run in _current_lineage():
        run.usage.append(record)


def record_human_input(text: str) -> None:
    """Record what a person typed in the current run and the runs around it."""
    for run in _current_lineage():
        run.human_inputs.append(text)


def record_files(paths: list[Path]) -> None:
    """Record files produced by executed code in the current run and the runs around it."""
    for run in _current_lineage():
        run.files.extend(paths)


def record_stop(stop: StopInfo) -> None:
    """Say why the current run's conversation stopped (the first stop recorded wins)."""
    run = _current.get()
    if run is not None and run.stop is None:
        run.stop = stop
