"""Plain functions behind ``convogen replay`` and ``convogen diff`` (the CLI wires them in)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from convogen.state.recording.cassette import Cassette, Entry, load_cassette
from convogen.state.recording.errors import CassetteError
from convogen.state.recording.transcript import (
    SpeakerColours,
    TranscriptSource,
    diff_transcripts,
    message_events,
    message_text,
    render_diff,
)

EXIT_OK = 0
EXIT_DIFFERENT = 1
EXIT_BAD_INPUT = 2


def _total_cost(cost: Any) -> str:
    """The run's total cost, including cached calls, as dollars ('unknown' when not priced)."""
    if not isinstance(cost, dict):
        return "-"
    usage = cost.get("usage_including_cached_inference", cost)
    total = usage.get("total_cost") if isinstance(usage, dict) else None
    if isinstance(total, (int, float)) and not isinstance(total, bool):
        return f"${total:.6f}"
    return "unknown" if usage else "$0"


def _render_message(entry: Entry, console: Console, colour: SpeakerColours, index: int) -> None:
    sender, recipient = str(entry.get("sender")), str(entry.get("recipient"))
    message = entry.get("message")
    text = message_text(message) if isinstance(message, dict) else str(message)
    console.print(
        f"[dim]#{index}[/] [bold {colour(sender)}]{escape(sender)}[/] -> "
        f"[{colour(recipient)}]{escape(recipient)}[/]",
        highlight=False,
    )
    console.print(Text(text or "(no content)"))
    console.print()


def _results_table(cassette: Cassette) -> Table:
    table = Table(title="Results")
    for column in ("chat", "sender -> recipient", "stop reason", "stopped by", "cost", "summary"):
        table.add_column(column)
    for entry in cassette.events("chat_finished"):
        result = entry.get("result") if isinstance(entry.get("result"), dict) else {}
        assert isinstance(result, dict)
        summary = str(result.get("summary") or "")
        if result.get("error"):
            summary = f"error: {result['error']}"
        table.add_row(
            str(result.get("chat_id", entry.get("chat_id"))),
            f"{entry.get('sender')} -> {entry.get('recipient')}",
            str(result.get("stop_reason")),
            str(result.get("stopped_by") or "-"),
            _total_cost(result.get("cost")),
            summary if len(summary) <= 80 else summary[:77] + "...",
        )
    return table


def render_run(cassette: Cassette, console: Console) -> None:
    """Print a recorded run: messages and speaker choices in order, then a results table."""
    header = cassette.header
    console.print(
        f"[bold]{escape(str(cassette.path or 'cassette'))}[/]: recorded {header.created} "
        f"with convogen {escape(header.convogen_version)}"
    )
    if header.metadata:
        console.print(Text(f"metadata: {header.metadata}"))
    colour = SpeakerColours()
    # Relayed and broadcast copies of a message are left out, as in the transcript.
    shown_seqs = {entry["seq"] for entry in message_events(cassette)}
    shown = 0
    for entry in cassette.events():
        if entry["event"] == "message":
            if entry["seq"] in shown_seqs:
                _render_message(entry, console, colour, shown)
                shown += 1
        elif entry["event"] == "speaker_selected":
            speaker = str(entry.get("speaker"))
            console.print(
                f"[dim]next speaker (round {entry.get('round')}, {entry.get('method')}):[/] "
                f"[bold {colour(speaker)}]{escape(speaker)}[/] [dim]- "
                f"{escape(str(entry.get('reason')))}[/]",
                highlight=False,
            )
    counts = Counter(e["kind"] for e in cassette.effects())
    errors = sum(1 for e in cassette.effects() if "error" in e)
    effects = ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())) or "none"
    console.print(f"effects recorded: {effects}" + (f" ({errors} raised)" if errors else ""))
    console.print(_results_table(cassette))


def cli_replay(path: str | Path, console: Console) -> int:
    """Show the run recorded in the cassette at ``path``; returns the exit code."""
    try:
        cassette = load_cassette(path)
    except CassetteError as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}")
        return EXIT_BAD_INPUT
    render_run(cassette, console)
    return EXIT_OK


def cli_diff(path_a: TranscriptSource, path_b: TranscriptSource, console: Console) -> int:
    """Compare two transcripts (cassettes or JSON message lists): 0 equal, 1 different."""
    try:
        diff = diff_transcripts(path_a, path_b)
    except CassetteError as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}")
        return EXIT_BAD_INPUT
    render_diff(diff, console)
    return EXIT_OK if diff.diff_is_empty else EXIT_DIFFERENT
