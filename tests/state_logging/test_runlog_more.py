"""Runtime log of group chats, code effects, write failures; the CLI helpers' output."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from convogen import ConversableAgent, GroupChat, GroupChatManager
from convogen.interception import JSON_CODEC, effect
from convogen.state.logging import active_logger, chat_summary, start_logging, stop_logging
from convogen.state.logging.cli import cli_export, cli_list, cli_show, cli_usage
from convogen.state.store import SQLiteCheckpointStore


def member(name: str) -> ConversableAgent:
    agent = ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)
    agent.register_reply(ConversableAgent, lambda *a: (True, f"{name} speaking"))
    return agent


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "logs.db"
    start_logging(path, config={"purpose": "test"})
    try:
        yield path
    finally:
        stop_logging()


def console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=160, force_terminal=False, color_system=None), out


def test_speaker_selections_are_logged_in_their_chat(db: Path) -> None:
    a, b, c = member("a"), member("b"), member("c")
    group = GroupChat([a, b, c], max_round=3, speaker_selection_method="round_robin")
    manager = GroupChatManager(group, llm_config=False, silent=True)
    result = a.initiate_chat(manager, message="hello", silent=True)
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT chat_id, speaker, method, candidates FROM speaker_selections ORDER BY id"
    ).fetchall()
    conn.close()
    assert [r[1] for r in rows] == ["b", "c"]
    assert {r[0] for r in rows} == {result.chat_id}
    assert rows[0][2] == "round_robin" and json.loads(rows[0][3]) == ["a", "b", "c"]
    summary = chat_summary(db, result.chat_id)
    assert summary["stop_reason"] == "max_round" and summary["total_cost"] == 0.0


def test_code_executions_are_logged_with_result_and_error(db: Path) -> None:
    async def effects() -> None:
        async def ok() -> dict[str, Any]:
            return {"exit_code": 0, "output": "hi\n", "files": []}

        async def broken() -> dict[str, Any]:
            raise RuntimeError("sandbox gone")

        blocks = [{"code": "print('hi')", "language": "python"}]
        await effect("code", {"agent": "runner", "blocks": blocks}, ok, JSON_CODEC)
        with pytest.raises(RuntimeError):
            await effect("code", {"agent": "runner", "blocks": blocks}, broken, JSON_CODEC)

    asyncio.run(effects())
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT kind, agent, name, result, error, latency_ms FROM effects"
    ).fetchall()
    conn.close()
    assert rows[0][:3] == ("code", "runner", "python")
    assert json.loads(rows[0][3])["output"] == "hi\n" and rows[0][4] is None
    assert rows[1][3] is None and rows[1][4] == "RuntimeError: sandbox gone"
    assert all(r[5] >= 0 for r in rows)


def test_a_failing_log_write_never_breaks_the_program(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    logger = active_logger()
    assert logger is not None
    logger._conn.execute("DROP TABLE effects")  # simulate a damaged log file

    async def tool() -> str:
        return "fine"

    assert asyncio.run(effect("tool", {"agent": "x", "name": "t"}, tool, JSON_CODEC)) == "fine"
    assert "write failed" in caplog.text


def test_cli_helpers_print_tables(db: Path) -> None:
    a, b = member("a"), member("b")
    group = GroupChat([a, b], max_round=2, speaker_selection_method="round_robin")
    result = a.initiate_chat(GroupChatManager(group, llm_config=False, silent=True), message="x")
    shown, out = console()
    cli_list(db, shown)
    cli_show(db, result.chat_id, shown)
    cli_usage(db, shown)
    text = out.getvalue()
    assert "max_round" in text and "a → chat_manager" in text
    assert "no LLM calls logged" in text
    assert cli_export(db, result.chat_id, "markdown").startswith("# Chat ")
    assert json.loads(cli_export(db, result.chat_id, "json"))["chat"]["chat_id"] == result.chat_id


def test_cli_on_an_empty_log(tmp_path: Path) -> None:
    start_logging(tmp_path / "empty.db")
    stop_logging()
    shown, out = console()
    cli_list(tmp_path / "empty.db", shown)
    assert "no chats logged" in out.getvalue()


def test_log_and_checkpoints_can_share_a_file(db: Path) -> None:
    # Durable chats may keep checkpoints next to the log: the table names don't collide.
    store = SQLiteCheckpointStore(db)
    store.create_run("r", "k", {})
    store.close()
    tables = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
    assert {"convogen_runs", "chats", "llm_calls"} <= tables


def test_cache_hits_reported_as_events_are_counted(db: Path) -> None:
    from convogen.events import LlmCacheHit
    from convogen.interception import emit

    request = {"model": "m", "messages": [{"role": "user", "content": "q"}], "params": {}}
    response = {
        "choices": [{"role": "assistant", "content": "a"}],
        "model": "m",
        "usage": {"prompt_tokens": 3, "completion_tokens": 1},
        "cost": 0.5,
    }
    emit(LlmCacheHit(request=request, response=response))
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT model, cached, prompt_tokens, chat_id FROM llm_calls").fetchone()
    conn.close()
    assert row == ("m", 1, 3, None)
