"""Run tools for the model: parse and validate arguments, call, and report errors as text."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from convogen.messages import FunctionCall, ToolCall, ToolResponse
from convogen.tools.tool import Tool


@dataclass(frozen=True)
class ToolOutcome:
    """The text result of one tool call and whether it is an error the model should see."""

    content: str
    is_error: bool
    # The exception the tool raised, for callers that word the error themselves (classic 0.2).
    exception: BaseException | None = field(default=None, compare=False, repr=False)


def _error(content: str) -> ToolOutcome:
    return ToolOutcome(content=content, is_error=True)


def parse_arguments(tool_name: str, arguments: str | Mapping[str, Any] | None) -> dict[str, Any]:
    """Decode tool-call arguments into a dict; raises ``ValueError`` with a model-facing text."""
    if arguments is None:
        return {}
    if isinstance(arguments, Mapping):
        return dict(arguments)
    if not arguments.strip():
        # Some models send "" instead of "{}" for tools without parameters.
        return {}
    try:
        decoded = json.loads(arguments)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"Error: the arguments for tool {tool_name!r} are not valid JSON ({exc}). "
            "Call the tool again with the arguments as one JSON object."
        ) from exc
    if not isinstance(decoded, dict):
        raise ValueError(
            f"Error: the arguments for tool {tool_name!r} must be a JSON object mapping "
            f"parameter names to values, got JSON {type(decoded).__name__}: {arguments[:200]}"
        )
    return decoded


def format_validation_error(tool_name: str, error: ValidationError) -> str:
    """Describe every invalid field so the model can correct its call."""
    problems: list[str] = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "(arguments)"
        problem = item["msg"]
        if item["type"] == "extra_forbidden":
            problem = "unexpected argument (not a parameter of this tool)"
        elif item["type"] != "missing":
            problem = f"{problem} (got {item['input']!r:.100})"
        problems.append(f"{where}: {problem}")
    return (
        f"Error: invalid arguments for tool {tool_name!r}: "
        + "; ".join(problems)
        + ". Fix these arguments and call the tool again."
    )


def result_to_str(result: Any) -> str:
    """Serialise a tool's return value: str as is, models as JSON, the rest via ``json.dumps``."""
    if isinstance(result, str):
        return result
    try:
        if isinstance(result, BaseModel):
            return result.model_dump_json()
        return json.dumps(result, default=_jsonable, ensure_ascii=False)
    except (TypeError, ValueError):  # PydanticSerializationError is a ValueError
        return str(result)  # e.g. circular references: still give the model something


_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def _jsonable(value: Any) -> Any:
    # pydantic knows models, dataclasses, datetimes, sets...; anything else becomes str().
    try:
        return _ANY.dump_python(value, mode="json")
    except (TypeError, ValueError):
        return str(value)


async def invoke_tool(tool: Tool, arguments: str | Mapping[str, Any] | None) -> ToolOutcome:
    """Call ``tool`` with JSON or dict arguments; every failure becomes an error outcome."""
    try:
        raw = parse_arguments(tool.name, arguments)
    except ValueError as exc:
        return _error(str(exc))
    try:
        validated = tool.validate(raw)
    except ValidationError as exc:
        return _error(format_validation_error(tool.name, exc))
    args, kwargs = tool.bind(validated)
    try:
        if tool.is_async:
            result = await tool.func(*args, **kwargs)
        else:
            # A worker thread keeps slow synchronous tools from blocking the event loop.
            result = await asyncio.to_thread(tool.func, *args, **kwargs)
            if inspect.isawaitable(result):
                result = await result  # a sync wrapper around a coroutine function
    except Exception as exc:  # the model gets the error as text; the chat goes on
        return ToolOutcome(f"Error: {type(exc).__name__}: {exc}", True, exception=exc)
    return ToolOutcome(content=result_to_str(result), is_error=False)


def _unknown_tool(name: str, tools: Mapping[str, Tool]) -> ToolOutcome:
    return _error(f"Error: unknown tool {name!r}; available: {sorted(tools)}")


async def execute_function_call(tools: Mapping[str, Tool], call: FunctionCall) -> ToolOutcome:
    """Run one legacy ``function_call``; an unknown name gives an error outcome."""
    name = call.get("name", "")
    tool = tools.get(name)
    if tool is None:
        return _unknown_tool(name, tools)
    return await invoke_tool(tool, call.get("arguments"))


async def execute_tool_calls(
    tools: Mapping[str, Tool], tool_calls: list[ToolCall]
) -> list[ToolResponse]:
    """Run tool calls concurrently; responses are in call order, errors included as text."""
    outcomes = await asyncio.gather(
        *(execute_function_call(tools, call["function"]) for call in tool_calls)
    )
    return [
        {"tool_call_id": call["id"], "role": "tool", "content": outcome.content}
        for call, outcome in zip(tool_calls, outcomes, strict=True)
    ]
