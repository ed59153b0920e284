"""Invoking tools: argument parsing and validation, sync/async calls, errors, parallel calls."""

import asyncio
import dataclasses
import datetime
import enum
import threading
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel

from convogen.messages import ToolCall
from convogen.tools import (
    ToolOutcome,
    execute_function_call,
    execute_tool_calls,
    function_to_tool,
    invoke_tool,
    result_to_str,
)


class Unit(enum.Enum):
    C = "celsius"
    F = "fahrenheit"


class Point(BaseModel):
    x: int
    y: int


class Shape(BaseModel):
    name: str
    points: list[Point]


def add(a: int, b: int = 10) -> int:
    """Add two numbers."""
    return a + b


async def async_add(a: int, b: int) -> int:
    await asyncio.sleep(0)
    return a + b


def call(call_id: str, name: str, arguments: str) -> ToolCall:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


async def test_sync_tool_with_json_string() -> None:
    outcome = await invoke_tool(function_to_tool(add), '{"a": 1, "b": 2}')
    assert outcome == ToolOutcome(content="3", is_error=False)


async def test_dict_arguments_and_function_default() -> None:
    outcome = await invoke_tool(function_to_tool(add), {"a": 1})
    assert outcome == ToolOutcome(content="11", is_error=False)


async def test_async_tool_is_awaited() -> None:
    outcome = await invoke_tool(function_to_tool(async_add), '{"a": 2, "b": 5}')
    assert outcome == ToolOutcome(content="7", is_error=False)


@pytest.mark.parametrize("empty", ["", "  ", "{}", None])
async def test_no_arguments(empty: str | None) -> None:
    def ping() -> str:
        return "pong"

    assert await invoke_tool(function_to_tool(ping), empty) == ToolOutcome("pong", False)


async def test_sync_tool_runs_in_worker_thread() -> None:
    def where() -> bool:
        return threading.current_thread() is threading.main_thread()

    outcome = await invoke_tool(function_to_tool(where), "{}")
    assert outcome == ToolOutcome("false", False)


async def test_arguments_converted_to_annotated_types() -> None:
    seen: dict[str, Any] = {}

    def draw(shape: Shape, unit: Unit, mode: Literal["fill", "line"], scale: float) -> str:
        seen.update(shape=shape, unit=unit, mode=mode, scale=scale)
        return "ok"

    arguments = (
        '{"shape": {"name": "tri", "points": [{"x": 1, "y": 2}]}, '
        '"unit": "celsius", "mode": "line", "scale": 2}'
    )
    outcome = await invoke_tool(function_to_tool(draw), arguments)
    assert outcome == ToolOutcome("ok", False)
    assert isinstance(seen["shape"], Shape)
    assert seen["shape"].points[0] == Point(x=1, y=2)
    assert seen["unit"] is Unit.C
    assert seen["mode"] == "line"
    assert isinstance(seen["scale"], float)


async def test_positional_only_and_odd_names() -> None:
    def f(a: int, b: int = 2, /, model_config: str = "m", *, _flag: bool = False) -> str:
        return f"{a} {b} {model_config} {_flag}"

    tool = function_to_tool(f)
    assert (await invoke_tool(tool, '{"a": 1}')).content == "1 2 m False"
    assert (await invoke_tool(tool, '{"b": 5, "a": 1, "_flag": true}')).content == "1 5 m True"
    assert (await invoke_tool(tool, '{"a": 1, "model_config": "z"}')).content == "1 2 z False"


async def test_bad_json_is_error_with_reason() -> None:
    outcome = await invoke_tool(function_to_tool(add), '{"a": 1,')
    assert outcome.is_error
    assert "not valid JSON" in outcome.content
    assert "'add'" in outcome.content
    assert "line 1 column" in outcome.content  # the decoder's reason is included
    assert outcome.content.startswith("Error:")


async def test_non_object_json_is_error() -> None:
    outcome = await invoke_tool(function_to_tool(add), "[1, 2]")
    assert outcome.is_error
    assert "JSON object" in outcome.content


async def test_string_for_int_is_schema_violation_naming_field() -> None:
    called = False

    def f(count: int, name: str) -> str:
        nonlocal called
        called = True
        return ""

    outcome = await invoke_tool(function_to_tool(f), '{"count": "many", "name": "x"}')
    assert outcome.is_error
    assert "count" in outcome.content
    assert "valid integer" in outcome.content
    assert "'many'" in outcome.content
    assert "name" not in outcome.content.split("'f':", 1)[1]  # only the bad field is reported
    assert not called


async def test_missing_required_and_unexpected_arguments() -> None:
    outcome = await invoke_tool(function_to_tool(add), '{"b": 1, "c": 3}')
    assert outcome.is_error
    assert "a: Field required" in outcome.content
    assert "c: unexpected argument" in outcome.content


async def test_nested_model_error_has_path() -> None:
    def f(shape: Shape) -> None:
        pass

    outcome = await invoke_tool(
        function_to_tool(f), '{"shape": {"name": "s", "points": [{"x": 1}]}}'
    )
    assert outcome.is_error
    assert "shape.points.0.y: Field required" in outcome.content


async def test_tool_exception_is_returned_not_raised() -> None:
    def divide(a: int, b: int) -> float:
        return a / b

    async def explode() -> None:
        raise RuntimeError("boom")

    outcome = await invoke_tool(function_to_tool(divide), '{"a": 1, "b": 0}')
    assert outcome == ToolOutcome("Error: ZeroDivisionError: division by zero", True)
    outcome = await invoke_tool(function_to_tool(explode), "{}")
    assert outcome == ToolOutcome("Error: RuntimeError: boom", True)


@dataclasses.dataclass
class Box:
    size: int


class Weird:
    def __str__(self) -> str:
        return "weird!"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain text", "plain text"),
        (Point(x=1, y=2), '{"x":1,"y":2}'),
        ({"a": [1, 2], "b": None}, '{"a": [1, 2], "b": null}'),
        (None, "null"),
        (3.5, "3.5"),
        (True, "true"),
        ("héllo", "héllo"),
        ([Point(x=0, y=0)], '[{"x": 0, "y": 0}]'),
        (Box(size=2), '{"size": 2}'),
        (datetime.date(2024, 1, 2), '"2024-01-02"'),
        (Weird(), '"weird!"'),
    ],
)
def test_result_to_str(value: Any, expected: str) -> None:
    assert result_to_str(value) == expected


async def test_result_serialised_in_outcome() -> None:
    def make(x: int) -> Annotated[Point, "the point"]:
        return Point(x=x, y=x)

    assert await invoke_tool(function_to_tool(make), '{"x": 4}') == ToolOutcome(
        '{"x":4,"y":4}', False
    )


async def test_execute_tool_calls_preserves_order_and_ids() -> None:
    tools = {"add": function_to_tool(add), "async_add": function_to_tool(async_add)}
    responses = await execute_tool_calls(
        tools,
        [
            call("c1", "async_add", '{"a": 1, "b": 1}'),
            call("c2", "add", '{"a": 5}'),
            call("c3", "add", "not json"),
        ],
    )
    assert responses[:2] == [
        {"tool_call_id": "c1", "role": "tool", "content": "2"},
        {"tool_call_id": "c2", "role": "tool", "content": "15"},
    ]
    assert responses[2]["tool_call_id"] == "c3"
    assert "not valid JSON" in responses[2]["content"]


async def test_order_preserved_when_later_call_finishes_first() -> None:
    finished: list[str] = []
    first_may_finish = asyncio.Event()

    async def slow() -> str:
        await first_may_finish.wait()
        finished.append("slow")
        return "slow"

    async def fast() -> str:
        finished.append("fast")
        first_may_finish.set()
        return "fast"

    tools = {"slow": function_to_tool(slow), "fast": function_to_tool(fast)}
    responses = await asyncio.wait_for(
        execute_tool_calls(tools, [call("1", "slow", "{}"), call("2", "fast", "{}")]), 5
    )
    assert finished == ["fast", "slow"]
    assert [r["content"] for r in responses] == ["slow", "fast"]


async def test_unknown_tool_is_error_response() -> None:
    tools = {"add": function_to_tool(add), "async_add": function_to_tool(async_add)}
    responses = await execute_tool_calls(tools, [call("x1", "nope", "{}")])
    assert responses == [
        {
            "tool_call_id": "x1",
            "role": "tool",
            "content": "Error: unknown tool 'nope'; available: ['add', 'async_add']",
            "is_error": True,
        }
    ]


async def test_async_calls_run_concurrently() -> None:
    # Each tool waits for the event the other one sets: sequential execution would deadlock
    # (and time out), so completing proves the calls overlap.
    ping_seen, pong_seen = asyncio.Event(), asyncio.Event()

    async def ping() -> str:
        ping_seen.set()
        await pong_seen.wait()
        return "ping"

    async def pong() -> str:
        pong_seen.set()
        await ping_seen.wait()
        return "pong"

    tools = {"ping": function_to_tool(ping), "pong": function_to_tool(pong)}
    responses = await asyncio.wait_for(
        execute_tool_calls(tools, [call("a", "ping", ""), call("b", "pong", "")]), 5
    )
    assert [r["content"] for r in responses] == ["ping", "pong"]


async def test_sync_calls_run_concurrently_in_threads() -> None:
    # A two-party barrier only opens when both sync tools are running at the same time.
    barrier = threading.Barrier(2, timeout=5)

    def left() -> str:
        barrier.wait()
        return "left"

    def right() -> str:
        barrier.wait()
        return "right"

    tools = {"left": function_to_tool(left), "right": function_to_tool(right)}
    responses = await execute_tool_calls(tools, [call("1", "left", ""), call("2", "right", "")])
    assert [r["content"] for r in responses] == ["left", "right"]


async def test_execute_function_call() -> None:
    tools = {"add": function_to_tool(add)}
    ok = await execute_function_call(tools, {"name": "add", "arguments": '{"a": 1, "b": 1}'})
    assert ok == ToolOutcome("2", False)
    missing = await execute_function_call(tools, {"name": "sub", "arguments": "{}"})
    assert missing.is_error
    assert "unknown tool 'sub'" in missing.content


async def test_execute_tool_calls_empty() -> None:
    assert await execute_tool_calls({}, []) == []


async def test_sync_wrapper_returning_coroutine_is_awaited() -> None:
    def wrapper(a: int, b: int) -> Any:
        return async_add(a, b)  # e.g. a plain decorator around a coroutine function

    tool = function_to_tool(wrapper)
    assert tool.is_async is False
    assert await invoke_tool(tool, '{"a": 1, "b": 2}') == ToolOutcome("3", False)
