"""The cassette file format: a JSON Lines record of every effect and event of a run.

Line 1 is a header::

    {"format": "convogen-cassette", "version": 1, "created": "<ISO 8601 UTC>",
     "convogen_version": "0.1.0", "metadata": {...}}

Every further line is one entry, written (and flushed) as soon as it is complete:

* ``{"type": "effect", "seq": N, "kind": "llm", "request": {...}, "result": <JSON>}``, or with
  ``"error": {"type", "module", "message", "args", "attributes"}`` instead of ``"result"``;
* ``{"type": "event", "seq": N, "event": "message", "sender": "a", "recipient": "b",
  "message": {...}}`` and likewise for ``chat_started``, ``chat_finished`` and
  ``speaker_selected`` (agent objects become names, results and selections become dicts).

``seq`` numbers entries in the order they *began*. An effect's line is written when it ends,
so effects running in parallel (tool calls) may appear out of ``seq`` order; replay orders them
by ``seq``, which is the order in which the run asks for them again.

Crash safety: each entry is one ``write`` of a whole line followed by a flush, so a crash can
only cut the last line short. :func:`load_cassette` drops such a truncated last line with a
:class:`CassetteWarning` (the entries before it are intact); a malformed line anywhere else is
a :class:`CassetteError` naming the file and line.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from convogen.redaction import redact
from convogen.state.recording.errors import CassetteError, CassetteWarning

FORMAT_NAME = "convogen-cassette"
FORMAT_VERSION = 1
Entry = dict[str, Any]
_RESERVED = frozenset({"type", "seq", "event"})


@dataclass(frozen=True)
class CassetteHeader:
    """The first line of a cassette: format, version, creation time, convogen version, metadata."""

    created: str
    convogen_version: str
    metadata: dict[str, Any] = field(default_factory=dict)
    format: str = FORMAT_NAME
    version: int = FORMAT_VERSION

    def to_json(self) -> dict[str, Any]:
        """The header as the JSON object written on line 1."""
        return {
            "format": self.format,
            "version": self.version,
            "created": self.created,
            "convogen_version": self.convogen_version,
            "metadata": self.metadata,
        }


@dataclass
class Cassette:
    """A loaded cassette: its header and its entries in file order."""

    header: CassetteHeader
    entries: list[Entry]
    path: Path | None = None

    def effects(self, kind: str | None = None) -> list[Entry]:
        """Effect entries (of one kind, if given), ordered by ``seq``."""
        found = [
            e for e in self.entries if e["type"] == "effect" and (kind is None or e["kind"] == kind)
        ]
        return sorted(found, key=lambda e: int(e["seq"]))

    def events(self, name: str | None = None) -> list[Entry]:
        """Event entries (with one event name, if given), ordered by ``seq``."""
        found = [
            e for e in self.entries if e["type"] == "event" and (name is None or e["event"] == name)
        ]
        return sorted(found, key=lambda e: int(e["seq"]))


# ------------------------------------------------------------------ JSON-safe conversion
def _fallback(value: Any) -> Any:
    """How a non-JSON value is written: names for agents, fields for dataclasses, else repr."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, BaseException):
        return f"{type(value).__name__}: {value}"
    name = getattr(value, "name", None)
    if isinstance(name, str):
        # Agents (and managers) are identified by name; their objects don't survive a process.
        return name
    return repr(value)


def json_safe(value: Any) -> Any:
    """``value`` as plain JSON data (dicts, lists, str, numbers, bools, None)."""
    return json.loads(json.dumps(value, default=_fallback))


def _name(agent: Any) -> Any:
    name = getattr(agent, "name", None)
    return name if isinstance(name, str) else json_safe(agent)


def _chat_result(result: Any) -> dict[str, Any]:
    error = getattr(result, "error", None)
    return {
        "chat_id": getattr(result, "chat_id", None),
        "stop_reason": json_safe(getattr(result, "stop_reason", None)),
        "stopped_by": getattr(result, "stopped_by", None),
        "stop_detail": getattr(result, "stop_detail", ""),
        "summary": json_safe(getattr(result, "summary", "")),
        "cost": json_safe(getattr(result, "cost", {})),
        "human_input": json_safe(getattr(result, "human_input", [])),
        "error": None if error is None else f"{type(error).__name__}: {error}",
    }


def encode_event(seq: int, event: str, data: Mapping[str, Any]) -> Entry:
    """The cassette entry of a conversation event."""
    entry: Entry = {"type": "event", "seq": seq, "event": event}
    for key, value in data.items():
        if key in ("sender", "recipient"):
            entry[key] = _name(value)
        elif key == "result":
            entry[key] = _chat_result(value)
        elif key == "selection":
            entry.update(json_safe(value))
        elif key == "groupchat":
            entry["members"] = [_name(a) for a in getattr(value, "agents", [])]
        else:
            # A future event's field must not overwrite the entry's own keys.
            entry[f"data_{key}" if key in _RESERVED else key] = json_safe(value)
    return entry


# ------------------------------------------------------------------------------ writing
def _convogen_version() -> str:
    try:
        from importlib.metadata import version

        return version("convogen")
    except Exception:  # not installed as a distribution (a source checkout on sys.path)
        return "unknown"


class CassetteWriter:
    """Appends entries to a new cassette file (replacing any old one), one flushed line each."""

    def __init__(self, path: str | Path, metadata: Mapping[str, Any] | None = None) -> None:
        self.path = Path(path)
        if metadata is not None and not isinstance(metadata, Mapping):
            raise CassetteError(self.path, None, f"metadata must be a dict, got {metadata!r:.80}")
        self.header = CassetteHeader(
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            convogen_version=_convogen_version(),
            metadata=redact(json_safe(dict(metadata or {}))),
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._file: IO[str] | None = self.path.open("w", encoding="utf-8", newline="\n")
        self.entries_written = 0
        self._write_line(json.dumps(self.header.to_json(), ensure_ascii=True))

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._file is None

    def append(self, entry: Entry) -> None:
        """Write ``entry`` as one line and flush it to the file."""
        try:
            line = json.dumps(entry, ensure_ascii=True, allow_nan=False)
        except (TypeError, ValueError) as exc:
            # The run goes on; the value is kept as text so the cassette stays readable.
            warnings.warn(
                f"{self.path}: entry seq={entry.get('seq')} holds a value that is not JSON "
                f"({exc}); it is recorded as text and may not replay exactly",
                CassetteWarning,
                stacklevel=3,
            )
            line = json.dumps(json_safe(entry), ensure_ascii=True)
        self._write_line(line)
        self.entries_written += 1

    def _write_line(self, line: str) -> None:
        with self._lock:
            if self._file is None:
                raise CassetteError(self.path, None, "the cassette is closed")
            # One write of the whole line, then a flush: a crash can only cut the last line.
            self._file.write(line + "\n")
            self._file.flush()

    def close(self) -> None:
        """Close the file (idempotent)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


# ------------------------------------------------------------------------------ reading
def _parse_header(path: Path, raw: Any) -> CassetteHeader:
    if not isinstance(raw, dict):
        raise CassetteError(path, 1, f"the header must be a JSON object, got {raw!r:.80}")
    if raw.get("format") != FORMAT_NAME:
        raise CassetteError(
            path, 1, f"format={raw.get('format')!r:.80} is not a {FORMAT_NAME!r} header"
        )
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CassetteError(path, 1, f"version={version!r:.40} must be a positive integer")
    if version > FORMAT_VERSION:
        raise CassetteError(
            path, 1, f"version={version} is newer than this convogen reads ({FORMAT_VERSION})"
        )
    for key in ("created", "convogen_version"):
        if not isinstance(raw.get(key), str):
            raise CassetteError(path, 1, f"{key}={raw.get(key)!r:.80} must be a string")
    metadata = raw.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise CassetteError(path, 1, f"metadata={metadata!r:.80} must be an object")
    return CassetteHeader(
        created=raw["created"],
        convogen_version=raw["convogen_version"],
        metadata=metadata,
        version=version,
    )


def _check_entry(path: Path, line: int, raw: Any, seen: set[int]) -> Entry:
    def bad(problem: str) -> CassetteError:
        return CassetteError(path, line, problem)

    if not isinstance(raw, dict):
        raise bad(f"an entry must be a JSON object, got {raw!r:.80}")
    seq = raw.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise bad(f"seq={seq!r:.40} must be a non-negative integer")
    if seq in seen:
        raise bad(f"seq={seq} appears twice")
    seen.add(seq)
    kind = raw.get("type")
    if kind == "event":
        if not isinstance(raw.get("event"), str) or not raw["event"]:
            raise bad(f"event={raw.get('event')!r:.80} must be a non-empty string")
        return raw
    if kind != "effect":
        raise bad(f"type={kind!r:.40} must be 'effect' or 'event'")
    if not isinstance(raw.get("kind"), str) or not raw["kind"]:
        raise bad(f"kind={raw.get('kind')!r:.40} must be a non-empty string")
    if not isinstance(raw.get("request"), dict):
        raise bad(f"request={raw.get('request')!r:.80} must be an object")
    if ("result" in raw) == ("error" in raw):
        raise bad("an effect needs exactly one of 'result' and 'error'")
    if "error" in raw:
        error = raw["error"]
        if not isinstance(error, dict):
            raise bad(f"error={error!r:.80} must be an object")
        for key in ("type", "message"):
            if not isinstance(error.get(key), str):
                raise bad(f"error.{key}={error.get(key)!r:.80} must be a string")
    return raw


def load_cassette(path: str | Path, *, allow_truncated_tail: bool = True) -> Cassette:
    """Read and validate a cassette; a cut-off last line is dropped with a warning."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CassetteError(path, None, f"cannot be read: {exc}") from exc
    # Split on "\n" only: entries are ASCII JSON, so no other byte can end a line.
    lines = data.split(b"\n")
    ends_with_newline = lines[-1] == b""
    if ends_with_newline:
        lines.pop()
    if not lines or not lines[0].strip():
        raise CassetteError(path, 1, "the file is empty; a cassette starts with a header line")
    entries: list[Entry] = []
    seen: set[int] = set()
    header: CassetteHeader | None = None
    for number, raw_line in enumerate(lines, start=1):
        if not raw_line.strip():
            raise CassetteError(path, number, "empty line")
        try:
            raw = json.loads(raw_line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            is_tail = number == len(lines) and not ends_with_newline and number > 1
            if is_tail and allow_truncated_tail:
                warnings.warn(
                    f"{path}, line {number}: the last line is incomplete (the run was cut off "
                    f"while writing it); ignoring it and keeping {len(entries)} entries",
                    CassetteWarning,
                    stacklevel=2,
                )
                break
            raise CassetteError(path, number, f"not valid JSON: {exc}") from exc
        if header is None:
            header = _parse_header(path, raw)
        else:
            entries.append(_check_entry(path, number, raw, seen))
    assert header is not None
    return Cassette(header=header, entries=entries, path=path)


def as_cassette(source: Cassette | str | Path) -> Cassette:
    """``source`` itself if it is a loaded cassette, else the cassette loaded from that path."""
    return source if isinstance(source, Cassette) else load_cassette(source)
