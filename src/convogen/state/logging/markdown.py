"""Markdown rendering of a logged chat (used by ``export_chat(..., fmt="markdown")``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def money(value: Any) -> str:
    """A dollar amount, or 'unknown' when the price of some call is not known."""
    return "unknown" if value is None else f"${float(value):.6f}"


def when(timestamp: Any) -> str:
    if not isinstance(timestamp, int | float):
        return "-"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _content(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):  # multimodal parts: show the text ones
        content = "\n".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and "text" in p
        )
    return "" if content is None else str(content)


def _fenced(text: str, language: str = "") -> str:
    # A fence longer than any backtick run inside keeps the block intact.
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def chat_markdown(
    summary: dict[str, Any], messages: list[dict[str, Any]], calls: dict[str, list[dict[str, Any]]]
) -> str:
    """A readable report: header, why it stopped, what it cost, then the conversation."""
    lines = [
        f"# Chat {summary['ref']}: {summary['sender']} → {summary['recipient']}",
        "",
        f"- **Stop reason:** {summary['stop_reason'] or 'not finished'}",
        f"- **Stopped by:** {summary['stopped_by'] or '-'}",
    ]
    if summary["stop_detail"]:
        lines.append(f"- **Detail:** {summary['stop_detail']}")
    lines += [
        f"- **Total cost:** {money(summary['total_cost'])}",
        f"- **LLM calls:** {summary['llm_calls']} ({summary['cache_hits']} cache hits, "
        f"{summary['llm_errors']} errors)",
        f"- **Tool calls:** {summary['tool_calls']}, **code executions:** "
        f"{summary['code_executions']}",
    ]
    if summary["duration_s"] is not None:
        lines.append(f"- **Duration:** {summary['duration_s']:.2f} s")
    if summary["tokens"]:
        lines += ["", "| Model | Prompt tokens | Completion tokens | Cost |"]
        lines.append("|---|---:|---:|---:|")
        for model, usage in summary["tokens"].items():
            lines.append(
                f"| {model} | {usage.get('prompt_tokens', 0)} | "
                f"{usage.get('completion_tokens', 0)} | {money(usage.get('cost'))} |"
            )
    if summary["summary"]:
        lines += ["", "## Summary", "", str(summary["summary"])]
    lines += ["", "## Messages"]
    for entry in messages:
        message = entry["message"] if isinstance(entry["message"], dict) else {}
        lines += ["", f"### {entry['sender']} → {entry['recipient']} ({when(entry['timestamp'])})"]
        text = _content(message)
        if text:
            lines += ["", text]
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            lines += ["", f"**Tool call** `{function.get('name')}` (id `{call.get('id')}`):"]
            lines += ["", _fenced(str(function.get("arguments") or ""), "json")]
        for response in message.get("tool_responses") or []:
            lines += ["", f"**Tool result** (id `{response.get('tool_call_id')}`):"]
            lines += ["", _fenced(str(response.get("content") or ""))]
    effects = calls.get("effects") or []
    if effects:
        lines += ["", "## Tool calls and code executions", ""]
        lines += ["| Kind | Agent | Name | Latency (ms) | Error |", "|---|---|---|---:|---|"]
        for effect in effects:
            latency = effect.get("latency_ms")
            shown = "-" if latency is None else f"{latency:.1f}"
            agent, name = effect.get("agent") or "-", effect.get("name") or "-"
            error = effect.get("error") or ""
            lines.append(f"| {effect['kind']} | {agent} | {name} | {shown} | {error} |")
    return "\n".join(lines) + "\n"
