"""Replaying a run: every effect is answered from a cassette; nothing outside is touched."""

from __future__ import annotations

import builtins
import contextlib
import copy
import difflib
import importlib
import json
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from convogen.errors import ConvogenError
from convogen.interception import Proceed, intercepting
from convogen.redaction import redact
from convogen.state.recording.cassette import Cassette, Entry, as_cassette, json_safe
from convogen.state.recording.errors import (
    ReplayedError,
    ReplayExhaustedError,
    ReplayMismatchError,
)

_LLM_FIELDS = ("model", "messages", "params")
_DIFF_LINES = 40


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def comparable(kind: str, request: Any) -> Any:
    """The part of a request that must match its recording (the model call for 'llm')."""
    # Recordings hold requests with credentials masked; the live request is masked alike.
    request = redact(json_safe(request))
    if kind == "llm" and isinstance(request, dict):
        return {key: request.get(key) for key in _LLM_FIELDS}
    return request


def request_diff(recorded: Any, actual: Any) -> str:
    """A short unified diff of two requests, as indented JSON."""
    a = json.dumps(recorded, sort_keys=True, indent=1, ensure_ascii=False).splitlines()
    b = json.dumps(actual, sort_keys=True, indent=1, ensure_ascii=False).splitlines()
    lines = list(difflib.unified_diff(a, b, "recorded", "actual", n=1, lineterm=""))
    if len(lines) > _DIFF_LINES:
        hidden = len(lines) - _DIFF_LINES
        lines = [*lines[:_DIFF_LINES], f"... ({hidden} more diff lines)"]
    return "\n".join(lines)


def _preview(request: Any, limit: int = 200) -> str:
    text = _canonical(redact(json_safe(request)))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def rebuild_error(error: dict[str, Any], where: str) -> BaseException:
    """The recorded exception again: its own class for convogen and builtin errors."""
    type_name = str(error.get("type", "Exception"))
    module = str(error.get("module", "builtins"))
    message = str(error.get("message", ""))
    args = error.get("args")
    args = tuple(args) if isinstance(args, list) else (message,)
    cls = _trusted_class(module, type_name)
    rebuilt: BaseException
    if cls is None:
        rebuilt = ReplayedError(type_name, module, message)
    elif module == "builtins":
        try:
            rebuilt = cls(*args)
        except Exception:
            rebuilt = ReplayedError(type_name, module, message)
    else:
        # Bypass __init__: its signature varies (ConfigError, ModelAPIError...), but args and
        # the recorded attributes are exactly the state the original exception had.
        rebuilt = cls.__new__(cls, *args)
        rebuilt.args = args
        attributes = error.get("attributes")
        if isinstance(attributes, dict):
            rebuilt.__dict__.update(attributes)
    rebuilt.add_note(f"convogen: replayed from {where}")
    return rebuilt


def _trusted_class(module: str, type_name: str) -> type[BaseException] | None:
    """Only builtin exceptions and convogen's own error classes are rebuilt."""
    if "." in type_name:
        return None
    if module == "builtins":
        found = getattr(builtins, type_name, None)
        ok = isinstance(found, type) and issubclass(found, Exception)
        return found if ok else None
    if module != "convogen" and not module.startswith("convogen."):
        return None
    try:
        found = getattr(importlib.import_module(module), type_name, None)
    except ImportError:
        return None
    if isinstance(found, type) and issubclass(found, ConvogenError):
        return found
    return None


class Replayer:
    """Interceptor answering every effect from a cassette, in recorded order per kind."""

    def __init__(self, source: Cassette | str | Path, strict: bool = True) -> None:
        self.cassette = as_cassette(source)
        self.strict = strict
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Entry]] = {}
        for entry in self.cassette.effects():
            self._queues.setdefault(entry["kind"], deque()).append(entry)
        self._used: dict[str, int] = {kind: 0 for kind in self._queues}
        self._consumed: set[int] = set()

    @property
    def source(self) -> str:
        """Where the cassette came from, for messages."""
        return str(self.cassette.path) if self.cassette.path is not None else "<cassette>"

    async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any:
        """Answer the effect from the cassette; ``proceed`` is never called."""
        entry = self._take(kind, request)
        where = f"{self.source} (seq={entry['seq']}, kind={kind!r})"
        if "error" in entry:
            raise rebuild_error(entry["error"], where)
        # A copy: decoders and agents may mutate what they get, the cassette must not change.
        return copy.deepcopy(entry["result"])

    def _take(self, kind: str, request: dict[str, Any]) -> Entry:
        with self._lock:
            queue = self._queues.get(kind)
            if not queue:
                raise ReplayExhaustedError(kind, self._used.get(kind, 0), _preview(request))
            entry = queue[0]
            if self.strict:
                recorded = comparable(kind, entry["request"])
                actual = comparable(kind, request)
                if _canonical(recorded) != _canonical(actual):
                    # Not consumed: unused() still lists it, which helps locate the divergence.
                    raise ReplayMismatchError(
                        entry["seq"], kind, recorded, actual, request_diff(recorded, actual)
                    )
            queue.popleft()
            self._used[kind] = self._used.get(kind, 0) + 1
            self._consumed.add(entry["seq"])
            return entry

    def used(self) -> dict[str, int]:
        """How many recorded effects of each kind were replayed."""
        return dict(self._used)

    def unused(self) -> list[Entry]:
        """Recorded effects the run did not ask for, in ``seq`` order."""
        with self._lock:
            return [e for e in self.cassette.effects() if e["seq"] not in self._consumed]


@contextlib.contextmanager
def replay(source: Cassette | str | Path, strict: bool = True) -> Iterator[Replayer]:
    """Answer every effect of the code run inside the ``with`` block from a cassette."""
    replayer = Replayer(source, strict=strict)
    with intercepting(replayer):
        yield replayer
