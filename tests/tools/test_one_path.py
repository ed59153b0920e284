"""One tool path: every call runs off the event loop and its ``is_error`` reaches every reader."""

from __future__ import annotations

import asyncio
import contextvars
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest

from convogen import AssistantAgent, ConversableAgent, UserProxyAgent, register_function
from convogen.interception import Proceed, intercepting
from convogen.llm.openai_client import to_api_messages
from convogen.llm.scripted import scripted_llm_config
from convogen.messages import Message
from convogen.state.logging import start_logging, stop_logging
from convogen.studio.events import message_event
from convogen.tools import (
    CLASSIC_TEXTS,
    OUTCOME_CODEC,
    ToolOutcome,
    ToolTarget,
    function_to_tool,
    is_error_response,
    run_tool,
    tool_response,
)


def call(call_id: str, name: str, arguments: Any) -> dict[str, Any]:
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": args}}


def executor(functions: dict[str, Any]) -> ConversableAgent:
    return ConversableAgent("runner", llm_config=False, function_map=functions)


def tool_calls_reply(agent: ConversableAgent, *calls: dict[str, Any]) -> dict[str, Any]:
    message = {"role": "assistant", "content": None, "tool_calls": list(calls)}
    reply = agent.generate_reply([message])  # type: ignore[list-item]
    assert isinstance(reply, dict)
    return reply


def add(a: Annotated[int, "first"], b: Annotated[int, "second"]) -> int:
    """Add two integers."""
    return a + b


def explode() -> str:
    """Always fails."""
    raise RuntimeError("boom")


class Recorder:
    """An interceptor keeping each effect's kind, request and recorded (JSON) result."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any], Any]] = []

    async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any:
        result = await proceed()
        self.seen.append((kind, request, result))
        return result


class Replayer:
    """An interceptor answering every effect with a fixed recorded result (the tool never runs)."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer

    async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any:
        return self.answer


# ------------------------------------------------------------------ off the event loop


async def test_an_untyped_sync_function_does_not_block_the_event_loop() -> None:
    # The function waits for an event that only a coroutine on the loop sets: run inline on
    # the loop (as before), it would wait in vain and report being blocked.
    loop_ran = threading.Event()

    def wait_for_loop(**_: Any) -> str:
        return "free" if loop_ran.wait(timeout=5) else "blocked"

    async def set_soon() -> None:
        await asyncio.sleep(0)
        loop_ran.set()

    agent = executor({"wait": wait_for_loop})
    setter = asyncio.create_task(set_soon())
    ok, message = await agent.a_execute_function({"name": "wait", "arguments": "{}"})
    await setter
    assert (ok, message["content"]) == (True, "free")


async def test_untyped_sync_calls_of_one_reply_run_concurrently() -> None:
    barrier = threading.Barrier(2, timeout=5)

    def meet(**_: Any) -> str:
        barrier.wait()  # opens only while both calls run at the same time
        return "met"

    agent = executor({"left": meet, "right": meet})
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [call("1", "left", {}), call("2", "right", {})],
    }
    _, reply = await agent.a_generate_tool_calls_reply([message])  # type: ignore[list-item]
    assert isinstance(reply, dict)
    assert [r["content"] for r in reply["tool_responses"]] == ["met", "met"]


async def test_a_sync_tool_in_its_worker_thread_sees_the_callers_context_variables() -> None:
    request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

    def which(**_: Any) -> str:
        return (
            f"{request_id.get()} on main: {threading.current_thread() is threading.main_thread()}"
        )

    request_id.set("r42")
    outcome = await run_tool({"which": which}, "which", "{}")
    assert outcome == ToolOutcome("r42 on main: False", False)


# ------------------------------------------------------------------ is_error in the history


def test_failed_tool_calls_are_marked_in_the_tool_responses_and_successes_are_not() -> None:
    agent = executor({"add": add, "explode": explode})
    reply = tool_calls_reply(
        agent,
        call("c1", "add", {"a": 1, "b": 2}),
        call("c2", "explode", {}),
        call("c3", "add", "{oops"),
        call("c4", "add", {"a": "x", "b": 1}),
        call("c5", "nope", {}),
    )
    responses = reply["tool_responses"]
    assert responses[0] == {"tool_call_id": "c1", "role": "tool", "content": "3"}
    assert [is_error_response(r) for r in responses] == [False, True, True, True, True]
    assert responses[1]["content"] == "Error: boom"  # 0.2's wording on the agent path
    assert responses[2]["content"].endswith("\n The argument must be in JSON format.")
    assert "invalid arguments for tool 'add'" in responses[3]["content"]
    assert responses[4]["content"] == "Error: Function nope not found."


def test_execute_function_reports_failure_of_typed_and_untyped_functions_alike() -> None:
    agent = executor({"typed": explode, "untyped": lambda: 1 / 0})
    assert agent.execute_function({"name": "typed", "arguments": "{}"}) == (
        False,
        {"name": "typed", "role": "function", "content": "Error: boom"},
    )
    assert agent.execute_function({"name": "untyped", "arguments": "{}"}) == (
        False,
        {"name": "untyped", "role": "function", "content": "Error: division by zero"},
    )


def test_an_untyped_function_given_a_json_list_is_an_error_not_a_crash() -> None:
    ok, message = executor({"f": lambda **kw: kw}).execute_function(
        {"name": "f", "arguments": "[1, 2]"}
    )
    assert ok is False and "must be a JSON object" in message["content"]


def test_the_chat_result_history_keeps_is_error_of_a_failed_tool() -> None:
    first = {"content": None, "tool_calls": [call("c1", "explode", {}), call("c2", "add", {})]}
    assistant = AssistantAgent(
        "assistant", llm_config=scripted_llm_config([first, "sorry TERMINATE"]), silent=True
    )
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
        is_termination_msg=lambda m: "TERMINATE" in str(m.get("content") or ""),
    )
    register_function(explode, caller=assistant, executor=user)
    register_function(add, caller=assistant, executor=user)
    result = user.initiate_chat(assistant, message="go")
    responses = result.chat_history[2]["tool_responses"]
    assert [r.get("is_error") for r in responses] == [True, True]
    assert "Field required" in responses[1]["content"]


def test_is_error_is_not_sent_to_the_model_api() -> None:
    reply = tool_calls_reply(executor({"explode": explode}), call("c1", "explode", {}))
    (api,) = to_api_messages([reply])  # type: ignore[list-item]
    assert api == {"role": "tool", "tool_call_id": "c1", "content": "Error: boom"}


def test_tool_response_sets_is_error_only_on_failures() -> None:
    assert "is_error" not in tool_response("a", ToolOutcome("ok", False))
    assert tool_response("b", ToolOutcome("Error: x", True))["is_error"] is True


# ------------------------------------------------------------------ is_error at the seam


async def test_the_tool_effect_records_content_and_is_error() -> None:
    recorder = Recorder()
    tools: dict[str, ToolTarget] = {"add": function_to_tool(add), "explode": explode}
    with intercepting(recorder):
        good = await run_tool(tools, "add", '{"a": 1, "b": 1}', agent="bob")
        bad = await run_tool(tools, "explode", "{}", agent="bob", texts=CLASSIC_TEXTS)
    assert (good, bad) == (ToolOutcome("2", False), ToolOutcome("Error: boom", True))
    assert [(kind, req["name"], req["agent"]) for kind, req, _ in recorder.seen] == [
        ("tool", "add", "bob"),
        ("tool", "explode", "bob"),
    ]
    assert [result for *_, result in recorder.seen] == [
        {"content": "2", "is_error": False},
        {"content": "Error: boom", "is_error": True},
    ]


async def test_a_replayed_failure_is_still_an_error_and_the_tool_does_not_run() -> None:
    def must_not_run() -> str:
        raise AssertionError("ran during replay")

    with intercepting(Replayer({"content": "Error: boom", "is_error": True})):
        outcome = await run_tool({"t": must_not_run}, "t", "{}")
    assert outcome == ToolOutcome("Error: boom", True)


async def test_a_recording_made_before_is_error_replays_as_a_success() -> None:
    with intercepting(Replayer("5")):
        assert await run_tool({"t": add}, "t", "{}") == ToolOutcome("5", False)


def test_a_recorded_result_of_the_wrong_shape_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"recorded tool result.*\[1\]"):
        OUTCOME_CODEC.decode([1])
    with pytest.raises(ValueError, match="is_error"):
        OUTCOME_CODEC.decode({"content": "x", "is_error": "yes"})


async def test_an_unknown_tool_is_an_error_without_an_effect() -> None:
    recorder = Recorder()
    with intercepting(recorder):
        outcome = await run_tool({"add": add}, "sub", "{}")
    assert outcome.is_error and "unknown tool 'sub'" in outcome.content
    assert recorder.seen == []


# ------------------------------------------------------------------ runtime log and studio


@pytest.fixture
def log_db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "log.db"
    start_logging(path)
    try:
        yield path
    finally:
        stop_logging()


def test_the_runtime_log_keeps_is_error_and_logs_only_successes_as_function_uses(
    log_db: Path,
) -> None:
    tool_calls_reply(
        executor({"add": add, "explode": explode}),
        call("c1", "add", {"a": 2, "b": 2}),
        call("c2", "explode", {}),
    )
    stop_logging()
    with sqlite3.connect(log_db) as conn:
        effects = conn.execute("SELECT name, result FROM effects ORDER BY name").fetchall()
        uses = conn.execute("SELECT function_name, returns FROM function_calls").fetchall()
    assert [(name, json.loads(result)) for name, result in effects] == [
        ("add", {"content": "4", "is_error": False}),
        ("explode", {"content": "Error: boom", "is_error": True}),
    ]
    assert [(name, json.loads(returns)) for name, returns in uses] == [("add", "4")]


def test_the_studio_shows_each_tool_result_with_its_error_flag() -> None:
    reply = tool_calls_reply(
        executor({"add": add, "explode": explode}),
        call("c1", "add", {"a": 2, "b": 2}),
        call("c2", "explode", {}),
    )
    stored: Message = {**reply, "name": "runner"}  # type: ignore[typeddict-item]
    event = message_event("runner", "assistant", stored)
    assert event is not None
    assert event["tool_responses"] == [
        {"tool_call_id": "c1", "content": "4", "is_error": False},
        {"tool_call_id": "c2", "content": "Error: boom", "is_error": True},
    ]
