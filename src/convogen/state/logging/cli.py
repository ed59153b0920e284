"""Plain functions behind ``convogen logs ...``: each prints rich tables to a given Console."""

from __future__ import annotations

import os

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from convogen.state.logging.markdown import money, when
from convogen.state.logging.queries import (
    ChatRef,
    chat_messages,
    chat_summary,
    export_chat,
    list_chats,
    usage_table,
)


def cli_list(db: str | os.PathLike[str], console: Console) -> None:
    """Print one row per logged chat: reference, agents, stop reason, cost, messages."""
    chats = list_chats(db)
    if not chats:
        console.print(f"no chats logged in {db}")
        return
    table = Table(title=f"Chats in {db}")
    for column in ("Chat", "Started", "Sender → recipient", "Stop reason", "Stopped by"):
        table.add_column(column)
    table.add_column("Messages", justify="right")
    table.add_column("Cost", justify="right")
    for chat in chats:
        table.add_row(
            chat["ref"],
            when(chat["started_at"]),
            f"{chat['sender']} → {chat['recipient']}",
            chat["stop_reason"] or "(running)",
            chat["stopped_by"] or "-",
            str(chat["messages"]),
            money(chat["total_cost"]) if chat["finished_at"] else "-",
        )
    console.print(table)


def cli_show(db: str | os.PathLike[str], chat_id: ChatRef, console: Console) -> None:
    """Print why a chat stopped, what it cost (per model), then its messages."""
    summary = chat_summary(db, chat_id)
    facts = Table(title=f"Chat {summary['ref']}: {summary['sender']} → {summary['recipient']}")
    facts.add_column("")
    facts.add_column("")
    rows = [
        ("Stop reason", summary["stop_reason"] or "(not finished)"),
        ("Stopped by", summary["stopped_by"] or "-"),
        ("Detail", summary["stop_detail"] or "-"),
        ("Total cost", money(summary["total_cost"])),
        ("LLM calls", f"{summary['llm_calls']} ({summary['cache_hits']} cache hits)"),
        ("Tool calls / code runs", f"{summary['tool_calls']} / {summary['code_executions']}"),
        ("Messages", str(summary["messages"])),
    ]
    for name, value in rows:
        facts.add_row(name, value)
    console.print(facts)
    if summary["tokens"]:
        console.print(_token_table(summary["tokens"]))
    for entry in chat_messages(db, chat_id):
        message = entry["message"] if isinstance(entry["message"], dict) else {}
        console.rule(f"{entry['sender']} → {entry['recipient']}")
        content = message.get("content")
        if content:
            console.print(str(content), markup=False, highlight=False)
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            console.print(
                f"tool call {function.get('name')}({function.get('arguments')})",
                markup=False,
                highlight=False,
            )


def _token_table(tokens: dict[str, dict[str, object]]) -> Table:
    table = Table(title="Usage per model")
    table.add_column("Model")
    for column in ("Prompt tokens", "Completion tokens", "Cost"):
        table.add_column(column, justify="right")
    for model, usage in tokens.items():
        table.add_row(
            model,
            str(usage.get("prompt_tokens", 0)),
            str(usage.get("completion_tokens", 0)),
            money(usage.get("cost")),
        )
    return table


def cli_export(db: str | os.PathLike[str], chat_id: ChatRef, fmt: str = "markdown") -> str:
    """The chat as Markdown or JSON text (the CLI writes it to stdout or a file)."""
    return export_chat(db, chat_id, fmt)


def cli_usage(db: str | os.PathLike[str], console: Console) -> None:
    """Print calls, cache hits, tokens, cost and mean latency per model."""
    rows = usage_table(db)
    if not rows:
        console.print(f"no LLM calls logged in {db}")
        return
    table = Table(title=f"LLM usage in {db}")
    table.add_column("Model")
    for column in ("Calls", "Cache hits", "Errors", "Prompt", "Completion", "Cost", "Mean ms"):
        table.add_column(column, justify="right")
    for row in rows:
        latency = row["mean_latency_ms"]
        table.add_row(
            str(row["model"]),
            str(row["calls"]),
            str(row["cache_hits"]),
            str(row["errors"]),
            str(row["prompt_tokens"]),
            str(row["completion_tokens"]),
            money(row["cost"]),
            "-" if latency is None else f"{latency:.1f}",
        )
    console.print(table)


def print_markdown(text: str, console: Console) -> None:
    """Render an exported Markdown chat in the terminal."""
    console.print(Markdown(text))
