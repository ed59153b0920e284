"""Questions for a runtime-log database: which chats, what was said, cost, why it stopped."""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from convogen.errors import ConfigError

ChatRef = int | str
"""A chat: ``"<session prefix>:<chat id>"`` as listed, or a bare chat id (latest session)."""


def connect(db: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open a log database read-only; a missing file is an error, never silently created."""
    path = Path(db)
    if not path.is_file():
        raise ConfigError("db", str(db), "no runtime-log database at this path")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def chat_ref(session_id: str, chat_id: int) -> str:
    """The short reference the listings show for a chat."""
    return f"{session_id[:8]}:{chat_id}"


def _resolve(conn: sqlite3.Connection, chat: ChatRef) -> sqlite3.Row:
    """The chats row for ``chat``; a ConfigError names what was asked when there is none."""
    session_prefix = ""
    number: Any = chat
    if isinstance(chat, str) and ":" in chat:
        session_prefix, _, number = chat.partition(":")
    try:
        chat_id = int(number)
    except (TypeError, ValueError):
        raise ConfigError("chat_id", chat, "use a chat id or a 'session:chat' reference") from None
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM chats WHERE chat_id = ? AND session_id LIKE ? "
        "ORDER BY started_at DESC, id DESC LIMIT 1",
        (chat_id, session_prefix.replace("%", "") + "%"),
    ).fetchone()
    if row is None:
        raise ConfigError("chat_id", chat, "no such chat in the log (see list_chats)")
    return row


def _count(conn: sqlite3.Connection, table: str, row: sqlite3.Row, extra: str = "") -> int:
    count: int = conn.execute(
        f"SELECT COUNT(*) FROM {table} WHERE session_id = ? AND chat_id = ?{extra}",
        (row["session_id"], row["chat_id"]),
    ).fetchone()[0]
    return count


def list_chats(db: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every logged chat, oldest first, with its stop reason, cost and message count."""
    with closing(connect(db)) as conn:
        rows = conn.execute("SELECT * FROM chats ORDER BY started_at, id").fetchall()
        return [
            {
                "ref": chat_ref(row["session_id"], row["chat_id"]),
                "session_id": row["session_id"],
                "chat_id": row["chat_id"],
                "parent_chat_id": row["parent_chat_id"],
                "sender": row["sender"],
                "recipient": row["recipient"],
                "started_at": row["started_at"],
                "finished_at": row["finished_at"],
                "stop_reason": row["stop_reason"],
                "stopped_by": row["stopped_by"],
                "total_cost": row["total_cost"],
                "messages": _count(conn, "messages", row),
            }
            for row in rows
        ]


def chat_messages(db: str | os.PathLike[str], chat_id: ChatRef) -> list[dict[str, Any]]:
    """The chat's messages in the order they were sent, with sender, recipient and time."""
    with closing(connect(db)) as conn:
        return _messages(conn, _resolve(conn, chat_id))


def _messages(conn: sqlite3.Connection, row: sqlite3.Row) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT sender, recipient, message, timestamp FROM messages"
        " WHERE session_id = ? AND chat_id = ? ORDER BY id",
        (row["session_id"], row["chat_id"]),
    ).fetchall()
    return [
        {
            "sender": r["sender"],
            "recipient": r["recipient"],
            "message": json.loads(r["message"]),
            "timestamp": r["timestamp"],
        }
        for r in rows
    ]


def chat_summary(db: str | os.PathLike[str], chat_id: ChatRef) -> dict[str, Any]:
    """What a chat cost and why it stopped: stop reason, who, detail, cost, tokens, calls."""
    with closing(connect(db)) as conn:
        row = _resolve(conn, chat_id)
        return _summary(conn, row)


def _summary(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    key = (row["session_id"], row["chat_id"])
    calls = conn.execute(
        "SELECT model, COUNT(*) AS calls, SUM(cached) AS cache_hits,"
        " SUM(error IS NOT NULL) AS errors, SUM(prompt_tokens) AS prompt_tokens,"
        " SUM(completion_tokens) AS completion_tokens, SUM(cost) AS cost,"
        " SUM(cost IS NULL AND error IS NULL) AS unpriced"
        " FROM llm_calls WHERE session_id = ? AND chat_id = ? GROUP BY model ORDER BY model",
        key,
    ).fetchall()
    cost = json.loads(row["cost"]) if row["cost"] else None
    tokens = _tokens_from_cost(cost) if cost else None
    if tokens is None:  # unfinished chat: add up what the log saw
        tokens = {
            c["model"]: {
                "prompt_tokens": c["prompt_tokens"] or 0,
                "completion_tokens": c["completion_tokens"] or 0,
                "total_tokens": (c["prompt_tokens"] or 0) + (c["completion_tokens"] or 0),
                "cost": None if c["unpriced"] else (c["cost"] or 0.0),
            }
            for c in calls
        }
    total = row["total_cost"]
    if total is None and cost is None and tokens:
        costs = [t["cost"] for t in tokens.values()]
        total = None if None in costs else sum(costs)
    effects = dict(
        conn.execute(
            "SELECT kind, COUNT(*) FROM effects WHERE session_id = ? AND chat_id = ? GROUP BY kind",
            key,
        ).fetchall()
    )
    excluding = (cost or {}).get("usage_excluding_cached_inference") or {}
    finished = row["finished_at"]
    return {
        "ref": chat_ref(row["session_id"], row["chat_id"]),
        "session_id": row["session_id"],
        "chat_id": row["chat_id"],
        "sender": row["sender"],
        "recipient": row["recipient"],
        "finished": finished is not None,
        "duration_s": None if finished is None else finished - row["started_at"],
        "stop_reason": row["stop_reason"],
        "stopped_by": row["stopped_by"],
        "stop_detail": row["stop_detail"] or "",
        "summary": row["summary"],
        "error": row["error"],
        "total_cost": total,
        "cost_excluding_cache": excluding.get("total_cost"),
        "tokens": tokens,
        "llm_calls": sum(c["calls"] for c in calls),
        "cache_hits": sum(c["cache_hits"] or 0 for c in calls),
        "llm_errors": sum(c["errors"] or 0 for c in calls),
        "tool_calls": effects.get("tool", 0),
        "code_executions": effects.get("code", 0),
        "human_inputs": effects.get("human", 0),
        "messages": _count(conn, "messages", row),
    }


def _tokens_from_cost(cost: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
    """Per-model usage from a ChatResult.cost dict (it also counts cache hits)."""
    usage = cost.get("usage_including_cached_inference")
    if not isinstance(usage, dict):
        return None
    return {model: dict(entry) for model, entry in usage.items() if isinstance(entry, dict)}


def usage_table(db: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Per model: calls, cache hits, errors, tokens, cost (None if any call's price is unknown)."""
    with closing(connect(db)) as conn:
        rows = conn.execute(
            "SELECT model, COUNT(*) AS calls, SUM(cached) AS cache_hits,"
            " SUM(error IS NOT NULL) AS errors,"
            " COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens,"
            " COALESCE(SUM(completion_tokens), 0) AS completion_tokens,"
            " SUM(cost) AS cost, SUM(cost IS NULL AND error IS NULL) AS unpriced,"
            " AVG(latency_ms) AS mean_latency_ms"
            " FROM llm_calls GROUP BY model ORDER BY model"
        ).fetchall()
    return [
        {
            "model": r["model"],
            "calls": r["calls"],
            "cache_hits": r["cache_hits"] or 0,
            "errors": r["errors"] or 0,
            "prompt_tokens": r["prompt_tokens"],
            "completion_tokens": r["completion_tokens"],
            "total_tokens": r["prompt_tokens"] + r["completion_tokens"],
            # An unknown price makes the sum unknown; a guessed total would mislead.
            "cost": None if r["unpriced"] else (r["cost"] or 0.0),
            "mean_latency_ms": r["mean_latency_ms"],
        }
        for r in rows
    ]


def chat_calls(db: str | os.PathLike[str], chat_id: ChatRef) -> dict[str, list[dict[str, Any]]]:
    """The chat's LLM calls and tool/code/human effects, in order."""
    with closing(connect(db)) as conn:
        return _calls(conn, _resolve(conn, chat_id))


def _calls(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, list[dict[str, Any]]]:
    key = (row["session_id"], row["chat_id"])
    llm = conn.execute(
        "SELECT agent, model, request, response, prompt_tokens, completion_tokens, cost,"
        " latency_ms, cached, error, started_at FROM llm_calls"
        " WHERE session_id = ? AND chat_id = ? ORDER BY id",
        key,
    ).fetchall()
    effects = conn.execute(
        "SELECT kind, agent, name, request, result, latency_ms, error, started_at FROM effects"
        " WHERE session_id = ? AND chat_id = ? ORDER BY id",
        key,
    ).fetchall()

    def decoded(r: sqlite3.Row, *json_columns: str) -> dict[str, Any]:
        out = dict(r)
        for column in json_columns:
            out[column] = None if out[column] is None else json.loads(out[column])
        return out

    return {
        "llm_calls": [
            {**decoded(r, "request", "response"), "cached": bool(r["cached"])} for r in llm
        ],
        "effects": [decoded(r, "request", "result") for r in effects],
    }


def export_chat(db: str | os.PathLike[str], chat_id: ChatRef, fmt: str = "markdown") -> str:
    """The chat as Markdown (for people) or JSON (summary, messages, calls; for programs)."""
    if fmt not in ("markdown", "json"):
        raise ConfigError("fmt", fmt, "use 'markdown' or 'json'")
    with closing(connect(db)) as conn:
        row = _resolve(conn, chat_id)
        summary = _summary(conn, row)
        messages = _messages(conn, row)
        calls = _calls(conn, row)
    if fmt == "json":
        document = {"chat": summary, "messages": messages, **calls}
        return json.dumps(document, indent=2, ensure_ascii=False, default=repr)
    from convogen.state.logging.markdown import chat_markdown

    return chat_markdown(summary, messages, calls)
