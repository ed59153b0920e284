"""The runtime log of a scripted two-agent chat with a tool call: rows, answers, exports."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest

from convogen import AssistantAgent, ConfigError, UserProxyAgent, register_function
from convogen.interception import active_interceptors
from convogen.llm.scripted import scripted_llm_config
from convogen.state.logging import (
    active_logger,
    chat_calls,
    chat_messages,
    chat_summary,
    export_chat,
    list_chats,
    start,
    start_logging,
    stop,
    stop_logging,
    usage_table,
)


def ends_with_terminate(message: dict[str, Any]) -> bool:
    """The scripts below end their last reply with TERMINATE after some text."""
    return str(message.get("content") or "").rstrip().endswith("TERMINATE")


def add(a: Annotated[int, "first"], b: Annotated[int, "second"]) -> int:
    """Add two integers."""
    return a + b


TOOL_REPLY = {
    "content": None,
    "tool_calls": [
        {
            "id": "c1",
            "type": "function",
            "function": {"name": "add", "arguments": json.dumps({"a": 2, "b": 3})},
        }
    ],
}


def run_tool_chat(price: tuple[float, float] | None = (1.0, 2.0)) -> Any:
    assistant = AssistantAgent(
        "assistant",
        llm_config=scripted_llm_config(
            [TOOL_REPLY, "The sum is 5. TERMINATE"],
            model="scripted-gpt",
            price=price,
            temperature=0.2,
        ),
        silent=True,
    )
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    register_function(add, caller=assistant, executor=user)
    return user.initiate_chat(assistant, message="What is 2 + 3?")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "logs.db"
    start_logging(path)
    try:
        yield path
    finally:
        stop_logging()


def test_a_chat_is_logged_row_by_row(db: Path) -> None:
    session = active_logger()
    assert session is not None
    result = run_tool_chat()
    stop_logging()
    conn = sqlite3.connect(db)
    calls = conn.execute(
        "SELECT session_id, chat_id, model, prompt_tokens, completion_tokens, cost, latency_ms,"
        " cached, error, request, response FROM llm_calls ORDER BY id"
    ).fetchall()
    assert len(calls) == 2
    for row in calls:
        assert row[0] == session.session_id and row[1] == result.chat_id
        assert row[2] == "scripted-gpt" and row[6] >= 0 and row[7] == 0 and row[8] is None
    request = json.loads(calls[0][9])
    assert request["messages"][-1]["content"] == "What is 2 + 3?"
    assert request["temperature"] == 0.2 and request["model"] == "scripted-gpt"
    assert request["tools"][0]["function"]["name"] == "add"
    response = json.loads(calls[0][10])
    assert response["choices"][0]["message"]["tool_calls"][0]["id"] == "c1"
    assert response["choices"][0]["finish_reason"] == "tool_calls"
    logged_cost = sum(row[5] for row in calls)
    total = result.cost["usage_including_cached_inference"]["total_cost"]
    assert logged_cost == pytest.approx(total) and total > 0

    effects = conn.execute(
        "SELECT kind, agent, name, request, result, error FROM effects"
    ).fetchall()
    assert [(e[0], e[1], e[2]) for e in effects] == [("tool", "user", "add")]
    assert json.loads(effects[0][3])["arguments"] == '{"a": 2, "b": 3}'
    assert json.loads(effects[0][4]) == {"content": "5", "is_error": False}
    assert effects[0][5] is None

    messages = conn.execute("SELECT chat_id, sender, recipient, message FROM messages").fetchall()
    assert [(m[1], m[2]) for m in messages] == [
        ("user", "assistant"),
        ("assistant", "user"),
        ("user", "assistant"),
        ("assistant", "user"),
    ]
    assert {m[0] for m in messages} == {result.chat_id}
    assert json.loads(messages[2][3])["tool_responses"][0]["content"] == "5"
    stopped = conn.execute("SELECT stopped_at FROM sessions").fetchone()[0]
    assert stopped is not None
    conn.close()


def test_summary_says_what_it_cost_and_why_it_stopped(db: Path) -> None:
    result = run_tool_chat()
    summary = chat_summary(db, result.chat_id)
    assert summary["stop_reason"] == "termination_message"
    assert summary["stopped_by"] == result.stopped_by == "user"
    assert summary["finished"] and summary["duration_s"] >= 0
    total = result.cost["usage_including_cached_inference"]["total_cost"]
    assert summary["total_cost"] == pytest.approx(total)
    assert summary["llm_calls"] == 2 and summary["cache_hits"] == 0 and summary["llm_errors"] == 0
    assert summary["tool_calls"] == 1 and summary["code_executions"] == 0
    assert summary["messages"] == 4
    tokens = summary["tokens"]["scripted-gpt"]
    assert tokens["prompt_tokens"] > 0 and tokens["completion_tokens"] > 0
    assert summary["summary"] == result.summary
    # The same chat by its listed reference.
    listed = list_chats(db)
    assert [c["chat_id"] for c in listed] == [result.chat_id]
    assert chat_summary(db, listed[0]["ref"])["total_cost"] == summary["total_cost"]
    assert listed[0]["stop_reason"] == "termination_message" and listed[0]["messages"] == 4


def test_usage_table_and_unknown_prices(db: Path) -> None:
    from convogen.events import LlmCacheHit
    from convogen.interception import emit

    run_tool_chat()
    unpriced = {
        "choices": [{"role": "assistant", "content": "a"}],
        "model": "scripted-gpt",
        "usage": {"prompt_tokens": 3, "completion_tokens": 1},
        "cost": None,
    }
    request = {"model": "scripted-gpt", "messages": [{"role": "user", "content": "q"}]}
    emit(LlmCacheHit(request={**request, "params": {}}, response=unpriced))
    (row,) = usage_table(db)
    assert row["model"] == "scripted-gpt" and row["calls"] == 3
    assert row["cost"] is None  # one call had no known price: the total is unknown
    assert row["total_tokens"] == row["prompt_tokens"] + row["completion_tokens"] > 0
    assert list_chats(db)[0]["total_cost"] > 0


def test_exports(db: Path) -> None:
    result = run_tool_chat()
    markdown = export_chat(db, result.chat_id, "markdown")
    assert markdown.startswith("# Chat ")
    assert "**Stop reason:** termination_message" in markdown
    assert "**Tool call** `add`" in markdown and "The sum is 5. TERMINATE" in markdown
    assert "| tool | user | add |" in markdown
    document = json.loads(export_chat(db, result.chat_id, fmt="json"))
    assert document["chat"]["stop_reason"] == "termination_message"
    assert [m["sender"] for m in document["messages"]] == ["user", "assistant"] * 2
    assert len(document["llm_calls"]) == 2 and document["effects"][0]["name"] == "add"
    assert chat_messages(db, result.chat_id)[0]["message"]["content"] == "What is 2 + 3?"
    assert len(chat_calls(db, result.chat_id)["llm_calls"]) == 2
    with pytest.raises(ConfigError, match="fmt"):
        export_chat(db, result.chat_id, "html")
    with pytest.raises(ConfigError, match="chat_id"):
        chat_summary(db, 999_999)
    with pytest.raises(ConfigError, match="chat_id"):
        chat_summary(db, "not-a-chat")


def test_errors_are_logged_and_the_chat_error_is_recorded(db: Path) -> None:
    assistant = AssistantAgent("assistant", llm_config=scripted_llm_config([]), silent=True)
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    with pytest.raises(Exception, match="scripted model"):
        user.initiate_chat(assistant, message="hi")
    (chat,) = list_chats(db)
    summary = chat_summary(db, chat["chat_id"])
    assert summary["stop_reason"] == "error" and "ScriptExhaustedError" in summary["stop_detail"]
    assert summary["llm_calls"] == 1 and summary["llm_errors"] == 1
    assert "ScriptExhaustedError" in chat_calls(db, chat["chat_id"])["llm_calls"][0]["error"]


def test_start_and_stop(tmp_path: Path) -> None:
    first = start_logging(tmp_path / "a.db")
    second = start_logging(config={"dbname": str(tmp_path / "b.db")})  # replaces the first
    assert first != second and len(active_interceptors()) == 1
    stop_logging()
    stop_logging()  # idempotent
    assert active_logger() is None and active_interceptors() == ()
    run_tool_chat()  # not logged any more
    assert list_chats(tmp_path / "b.db") == []
    session = start("sqlite", {"dbname": str(tmp_path / "c.db")})
    assert isinstance(session, str)
    stop()
    with pytest.raises(ConfigError, match="logger_type"):
        start("file")
    with pytest.raises(ConfigError, match="db"):
        list_chats(tmp_path / "missing.db")


async def test_async_chats_in_one_session_keep_their_ids(db: Path) -> None:
    def pair(n: int) -> tuple[UserProxyAgent, AssistantAgent]:
        bot = AssistantAgent(
            f"bot{n}", llm_config=scripted_llm_config([f"r{n} TERMINATE"]), silent=True
        )
        user = UserProxyAgent(
            f"user{n}",
            human_input_mode="NEVER",
            code_execution_config=False,
            silent=True,
            is_termination_msg=ends_with_terminate,
        )
        return user, bot

    import asyncio

    pairs = [pair(n) for n in range(3)]
    results = await asyncio.gather(*(u.a_initiate_chat(b, message="go") for u, b in pairs))
    for n, result in enumerate(results):
        messages = chat_messages(db, result.chat_id)
        assert {m["sender"] for m in messages} == {f"user{n}", f"bot{n}"}
        assert chat_summary(db, result.chat_id)["llm_calls"] == 1


def test_chats_on_other_threads_are_logged(db: Path) -> None:
    import threading

    results: list[Any] = []
    worker = threading.Thread(target=lambda: results.append(run_tool_chat()))
    worker.start()
    worker.join()
    assert chat_summary(db, results[0].chat_id)["llm_calls"] == 2
