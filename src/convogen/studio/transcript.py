"""A run's transcript for download: JSON, or Markdown a person can read."""

from __future__ import annotations

from typing import Any

FORMATS = ("json", "md")


def transcript_markdown(detail: dict[str, Any]) -> str:
    """The conversation of a run's detail as Markdown: one section per message."""
    lines = [f"# {detail.get('team') or detail.get('run_id')}", ""]
    if detail.get("task"):
        lines += [f"**Task:** {detail['task']}", ""]
    for message in detail.get("messages") or []:
        recipient = f" → {message['recipient']}" if message.get("recipient") else ""
        content = str(message.get("content") or "")
        lines += [f"## {message.get('sender')}{recipient}", "", content, ""]
    result = detail.get("result") or {}
    lines += [f"**Status:** {detail.get('status')}"]
    if result.get("stop_reason"):
        lines += [f"**Stop reason:** {result['stop_reason']}"]
    if detail.get("error"):
        lines += [f"**Error:** {detail['error']}"]
    return "\n".join(lines) + "\n"


def transcript_json(detail: dict[str, Any]) -> dict[str, Any]:
    """The parts of a run's detail that make its transcript."""
    keys = ("run_id", "team", "task", "status", "messages", "usage", "result", "error")
    return {key: detail.get(key) for key in keys}
