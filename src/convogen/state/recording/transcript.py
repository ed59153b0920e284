"""Transcripts of recorded runs: extract, render with rich, and diff message by message."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from convogen.state.recording.cassette import (
    FORMAT_NAME,
    Cassette,
    Entry,
    as_cassette,
    json_safe,
)
from convogen.state.recording.errors import CassetteError

TranscriptSource = Cassette | str | PathLike[str] | Sequence[Mapping[str, Any]]
DiffStatus = Literal["equal", "changed", "only_in_a", "only_in_b"]
_PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")


def message_events(cassette: Cassette | str | Path) -> list[Entry]:
    """The "message" events of a run, each message once, in the order they were sent.

    A group chat manager relays each message to every member; those copies (sent by one agent
    but carrying another's ``name``) are left out, and so are the copies of a message one agent
    broadcasts to several recipients in a row (introductions).
    """
    kept: list[Entry] = []
    previous: tuple[Any, Any, str] | None = None
    for entry in as_cassette(cassette).events("message"):
        message = entry.get("message")
        if not isinstance(message, dict):
            continue
        sender, recipient = entry.get("sender"), entry.get("recipient")
        if message.get("name", sender) != sender:
            continue
        key = json.dumps(message, sort_keys=True)
        broadcast = previous is not None and previous[0] == sender and previous[1] != recipient
        is_copy = broadcast and previous is not None and previous[2] == key
        previous = (sender, recipient, key)
        if not is_copy:
            kept.append(entry)
    return kept


def transcript_from_cassette(cassette: Cassette | str | Path) -> list[dict[str, Any]]:
    """The messages of a recorded run (see :func:`message_events`), with ``name`` set."""
    messages: list[dict[str, Any]] = []
    for entry in message_events(cassette):
        message = dict(entry["message"])
        message.setdefault("name", entry.get("sender"))
        messages.append(message)
    return messages


def _is_cassette_file(path: Path) -> bool:
    with path.open("rb") as handle:
        first = handle.readline()
    try:
        header = json.loads(first)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(header, dict) and header.get("format") == FORMAT_NAME


def load_transcript(source: TranscriptSource) -> list[dict[str, Any]]:
    """Messages from a list of dicts, a cassette (object or file) or a JSON file of messages."""
    if isinstance(source, Cassette):
        return transcript_from_cassette(source)
    if isinstance(source, (str, PathLike)):
        path = Path(source)
        if not path.is_file():
            raise CassetteError(path, None, "no such file")
        if _is_cassette_file(path):
            return transcript_from_cassette(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CassetteError(path, None, f"neither a cassette nor a JSON file: {exc}") from exc
        if isinstance(data, dict):
            # A saved ChatResult or group chat: take its messages.
            data = data.get("chat_history", data.get("messages"))
        return _check_messages(data, str(path))
    return _check_messages(source, "transcript")


def _check_messages(data: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(data, Sequence) or isinstance(data, (str, bytes)):
        raise CassetteError(where, None, f"expected a list of messages, got {type(data).__name__}")
    out: list[dict[str, Any]] = []
    for i, message in enumerate(data):
        if not isinstance(message, Mapping):
            raise CassetteError(
                where, None, f"message [{i}] must be an object, got {message!r:.80}"
            )
        out.append(json_safe(dict(message)))
    return out


# ------------------------------------------------------------------------------ rendering
def speaker_of(message: Mapping[str, Any]) -> str:
    """Who said a message: its ``name``, else its role."""
    return str(message.get("name") or message.get("role") or "?")


def message_text(message: Mapping[str, Any]) -> str:
    """A message as text: its content, then its tool calls and tool responses."""
    content = message.get("content")
    if isinstance(content, list):
        parts = [str(p.get("text", "")) if isinstance(p, Mapping) else str(p) for p in content]
        text = "\n".join(parts)
    else:
        text = "" if content is None else str(content)
    responses = [r for r in message.get("tool_responses") or [] if isinstance(r, Mapping)]
    # A tool message's content repeats its responses' contents; show each result once.
    lines = [text] if text and not responses else []
    for call in message.get("tool_calls") or []:
        function = call.get("function", {}) if isinstance(call, Mapping) else {}
        lines.append(f"[tool call {function.get('name')}({function.get('arguments')})]")
    function_call = message.get("function_call")
    if isinstance(function_call, Mapping):
        name, arguments = function_call.get("name"), function_call.get("arguments")
        lines.append(f"[function call {name}({arguments})]")
    for response in responses:
        lines.append(f"[tool result {response.get('tool_call_id')}: {response.get('content')}]")
    return "\n".join(lines)


class SpeakerColours:
    """A stable colour per speaker name, in order of first appearance."""

    def __init__(self) -> None:
        self._assigned: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self._assigned:
            self._assigned[name] = _PALETTE[len(self._assigned) % len(_PALETTE)]
        return self._assigned[name]


def render_transcript(
    messages: TranscriptSource, console: Console, colours: SpeakerColours | None = None
) -> None:
    """Print each message with its index and its speaker's name in the speaker's colour."""
    colour = colours or SpeakerColours()
    for index, message in enumerate(load_transcript(messages)):
        speaker = speaker_of(message)
        console.print(
            f"[bold {colour(speaker)}]#{index} {escape(speaker)}[/] ({message.get('role', '?')})",
            highlight=False,
        )
        console.print(Text(message_text(message) or "(no content)"))
        console.print()


# ---------------------------------------------------------------------------------- diff
@dataclass(frozen=True)
class MessageDiff:
    """One step of a transcript diff; ``diff`` is a unified diff for changed messages."""

    status: DiffStatus
    index_a: int | None
    index_b: int | None
    speaker: str
    diff: str = ""


@dataclass
class TranscriptDiff:
    """A message-level comparison of two transcripts."""

    entries: list[MessageDiff] = field(default_factory=list)

    @property
    def diff_is_empty(self) -> bool:
        """True when both transcripts hold the same messages in the same order."""
        return all(e.status == "equal" for e in self.entries)

    def count(self, status: DiffStatus) -> int:
        """How many entries have ``status``."""
        return sum(1 for e in self.entries if e.status == status)

    @property
    def differences(self) -> list[MessageDiff]:
        """The entries that are not equal."""
        return [e for e in self.entries if e.status != "equal"]


# The role depends on whose copy of a message one looks at (the sender keeps "assistant",
# everyone else "user"; a group transcript says "user" throughout), so diffs ignore it.
_IGNORED = frozenset({"role"})


def _key(message: Mapping[str, Any]) -> str:
    compared = {k: v for k, v in message.items() if k not in _IGNORED}
    return json.dumps(compared, sort_keys=True, ensure_ascii=False)


def _detail_lines(message: Mapping[str, Any]) -> list[str]:
    lines = message_text(message).splitlines() or [""]
    shown = ("content", "tool_calls", "tool_responses", *_IGNORED)
    extra = {k: v for k, v in message.items() if k not in shown}
    return [*lines, f"-- fields: {json.dumps(extra, sort_keys=True, ensure_ascii=False)}"]


def _changed(ia: int, ib: int, a: Mapping[str, Any], b: Mapping[str, Any]) -> MessageDiff:
    diff = difflib.unified_diff(
        _detail_lines(a), _detail_lines(b), f"a[{ia}]", f"b[{ib}]", lineterm=""
    )
    speaker = (
        speaker_of(a) if speaker_of(a) == speaker_of(b) else f"{speaker_of(a)} -> {speaker_of(b)}"
    )
    return MessageDiff("changed", ia, ib, speaker, "\n".join(diff))


def diff_transcripts(a: TranscriptSource, b: TranscriptSource) -> TranscriptDiff:
    """Compare two transcripts message by message (ignoring roles): equal, changed, only in one."""
    left, right = load_transcript(a), load_transcript(b)
    matcher = difflib.SequenceMatcher(
        None, [_key(m) for m in left], [_key(m) for m in right], autojunk=False
    )
    result = TranscriptDiff()
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            for ia, ib in zip(range(a0, a1), range(b0, b1), strict=True):
                result.entries.append(MessageDiff("equal", ia, ib, speaker_of(left[ia])))
            continue
        paired = min(a1 - a0, b1 - b0) if tag == "replace" else 0
        for k in range(paired):
            result.entries.append(_changed(a0 + k, b0 + k, left[a0 + k], right[b0 + k]))
        for ia in range(a0 + paired, a1):
            result.entries.append(MessageDiff("only_in_a", ia, None, speaker_of(left[ia])))
        for ib in range(b0 + paired, b1):
            result.entries.append(MessageDiff("only_in_b", None, ib, speaker_of(right[ib])))
    return result


_STATUS_STYLE = {
    "changed": ("~", "yellow"),
    "only_in_a": ("-", "red"),
    "only_in_b": ("+", "green"),
}


def render_diff(diff: TranscriptDiff, console: Console) -> None:
    """Print the differences (equal messages are counted, not shown)."""
    if diff.diff_is_empty:
        console.print(f"[green]transcripts are equal ({len(diff.entries)} messages)[/]")
        return
    colour = SpeakerColours()
    for entry in diff.differences:
        mark, style = _STATUS_STYLE[entry.status]
        where = f"a[{entry.index_a}]" if entry.index_a is not None else ""
        if entry.index_b is not None:
            where += (" " if where else "") + f"b[{entry.index_b}]"
        console.print(
            f"[{style}]{mark} {entry.status}[/] {where} "
            f"[bold {colour(entry.speaker)}]{escape(entry.speaker)}[/]",
            highlight=False,
        )
        if entry.diff:
            console.print(Text(entry.diff))
    console.print(
        f"{diff.count('equal')} equal, {diff.count('changed')} changed, "
        f"{diff.count('only_in_a')} only in a, {diff.count('only_in_b')} only in b"
    )
