"""Recording a run: every effect (with its result or error) and every event, to a cassette."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from convogen.events import Event
from convogen.interception import Proceed, intercepting, sinking
from convogen.redaction import redact
from convogen.state.recording.cassette import CassetteWriter, Entry, encode_event, json_safe
from convogen.state.recording.errors import CassetteWarning


def encode_error(exc: BaseException) -> dict[str, Any]:
    """The recorded form of an exception: class, module, message, and its JSON-safe state.

    Credentials are masked (``redact``): a cassette is shared, and error text may quote a key.
    """
    return redact(_encode_error(exc))  # type: ignore[no-any-return]


def _encode_error(exc: BaseException) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for key, value in vars(exc).items():
        # Only state that survives JSON is kept; replay rebuilds the exception from it.
        if key.startswith("__"):
            continue
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            continue
        attributes[key] = value
    args: list[Any] = []
    for arg in exc.args:
        try:
            json.dumps(arg, allow_nan=False)
        except (TypeError, ValueError):
            args = [str(exc)]
            break
        args.append(arg)
    return {
        "type": type(exc).__qualname__,
        "module": type(exc).__module__,
        "message": str(exc),
        "args": args,
        "attributes": attributes,
    }


class Recorder:
    """Interceptor and event sink that writes a run to a cassette as it happens."""

    def __init__(self, path: str | Path, metadata: Mapping[str, Any] | None = None) -> None:
        self._writer = CassetteWriter(path, metadata)
        self._seq = itertools.count()
        self.effects_recorded = 0
        self.events_recorded = 0

    @property
    def path(self) -> Path:
        """The cassette file being written."""
        return self._writer.path

    @property
    def closed(self) -> bool:
        """Whether the recorder was closed (it then records nothing more)."""
        return self._writer.closed

    async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any:
        """Run the effect and record its request with its result or error."""
        if self.closed:
            # A task started inside ``record()`` may outlive it; its effects still run.
            self._warn_closed(f"effect {kind!r}")
            return await proceed()
        # The number is taken before the effect runs: parallel effects keep the order in which
        # they were asked for, which is the order a replay asks for them again.
        seq = next(self._seq)
        # Credentials (api keys, auth headers, URL passwords) never reach the cassette; replay
        # compares the live request with the same masking applied.
        recorded_request = redact(json_safe(request))
        try:
            result = await proceed()
        except Exception as exc:
            self._append(
                {
                    "type": "effect",
                    "seq": seq,
                    "kind": kind,
                    "request": recorded_request,
                    "error": encode_error(exc),
                }
            )
            self.effects_recorded += 1
            raise
        entry: Entry = {
            "type": "effect",
            "seq": seq,
            "kind": kind,
            "request": recorded_request,
            "result": result,
        }
        self._append(entry)
        self.effects_recorded += 1
        return result

    def on_event(self, event: Event) -> None:
        """Record a conversation event (agents by name, the rest as JSON)."""
        if self.closed:
            self._warn_closed(f"event {event.kind!r}")
            return
        fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
        self._append(redact(encode_event(next(self._seq), event.kind, fields)))
        self.events_recorded += 1

    def _append(self, entry: Entry) -> None:
        if not self.closed:
            self._writer.append(entry)

    def _warn_closed(self, what: str) -> None:
        warnings.warn(
            f"{self.path}: the recorder is closed; {what} was not recorded",
            CassetteWarning,
            stacklevel=3,
        )

    def close(self) -> None:
        """Finish the cassette (idempotent)."""
        self._writer.close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@contextlib.contextmanager
def record(path: str | Path, metadata: Mapping[str, Any] | None = None) -> Iterator[Recorder]:
    """Record every effect and event of the code run inside the ``with`` block to ``path``."""
    recorder = Recorder(path, metadata)
    try:
        with intercepting(recorder), sinking(recorder):
            yield recorder
    finally:
        recorder.close()
