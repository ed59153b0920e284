"""Run tools for the model: the one execution path of every tool and function call.

``run_tool`` is the path: look the name up, pass the interception seam ``effect("tool", ...)``,
parse the arguments, validate them (typed tools), call the function (sync functions in a
worker thread, so a slow tool never blocks other chats), and turn every failure into a
``ToolOutcome`` with ``is_error`` set. ``execute_tool_calls`` runs a batch concurrently.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from convogen.interception import effect
from convogen.messages import FunctionCall, ToolCall, ToolResponse
from convogen.tools.outcome import OUTCOME_CODEC, ToolOutcome, tool_response
from convogen.tools.texts import PLAIN_TEXTS, ToolTexts
from convogen.tools.tool import Tool, is_async_callable

# What a name can be executed by: a typed tool (arguments validated against its schema) or,
# as in classic function maps, any callable, called with the decoded arguments as keywords.
ToolTarget = Tool | Callable[..., Any]


def _error(content: str, exception: BaseException | None = None) -> ToolOutcome:
    return ToolOutcome(content=content, is_error=True, exception=exception)


def parse_arguments(
    tool_name: str, arguments: str | Mapping[str, Any] | None, texts: ToolTexts = PLAIN_TEXTS
) -> dict[str, Any]:
    """Decode tool-call arguments into a dict; raises ``ValueError`` with a model-facing text."""
    if arguments is None:
        return {}
    if isinstance(arguments, Mapping):
        return dict(arguments)
    if not arguments.strip():
        # Some models send "" instead of "{}" for tools without parameters.
        return {}
    try:
        # strict=False: raw newlines and tabs inside strings, as models write code, are
        # accepted (0.2 escaped them first, see ``format_json_str``).
        decoded = json.loads(arguments, strict=False)
    except json.JSONDecodeError as exc:
        raise ValueError(texts.bad_json(tool_name, exc)) from exc
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


async def _call(
    func: Callable[..., Any], is_async: bool, args: list[Any], kwargs: dict[str, Any]
) -> Any:
    """Call ``func``: coroutines awaited, sync functions in a worker thread (contextvars kept)."""
    if is_async:
        return await func(*args, **kwargs)
    result = await asyncio.to_thread(func, *args, **kwargs)
    if inspect.isawaitable(result):
        result = await result  # a sync wrapper around a coroutine function
    return result


async def invoke_tool(
    tool: Tool, arguments: str | Mapping[str, Any] | None, texts: ToolTexts = PLAIN_TEXTS
) -> ToolOutcome:
    """Call ``tool`` with JSON or dict arguments; every failure becomes an error outcome."""
    try:
        raw = parse_arguments(tool.name, arguments, texts)
        validated = tool.validate(raw)
    except ValueError as exc:
        if isinstance(exc, ValidationError):
            return _error(format_validation_error(tool.name, exc))
        return _error(str(exc))
    args, kwargs = tool.bind(validated)
    return await _outcome_of(tool.func, tool.is_async, args, kwargs, texts)


async def invoke_function(
    func: Callable[..., Any],
    name: str,
    arguments: str | Mapping[str, Any] | None,
    texts: ToolTexts = PLAIN_TEXTS,
) -> ToolOutcome:
    """Call an untyped function with the decoded arguments as keywords (no schema to check)."""
    try:
        kwargs = parse_arguments(name, arguments, texts)
    except ValueError as exc:
        return _error(str(exc))
    return await _outcome_of(func, is_async_callable(func), [], kwargs, texts)


async def _outcome_of(
    func: Callable[..., Any],
    is_async: bool,
    args: list[Any],
    kwargs: dict[str, Any],
    texts: ToolTexts,
) -> ToolOutcome:
    try:
        result = await _call(func, is_async, args, kwargs)
    except Exception as exc:  # the model gets the error as text; the chat goes on
        return _error(texts.raised(exc), exc)
    return ToolOutcome(content=result_to_str(result), is_error=False)


async def run_tool(
    tools: Mapping[str, ToolTarget],
    name: str,
    arguments: str | Mapping[str, Any] | None,
    *,
    agent: str | None = None,
    texts: ToolTexts = PLAIN_TEXTS,
) -> ToolOutcome:
    """Run the call of tool ``name`` through the interception seam; never raises for the tool."""
    target = tools.get(name)
    if target is None:
        return _error(texts.unknown(name, list(tools)))

    async def run() -> ToolOutcome:
        if isinstance(target, Tool):
            return await invoke_tool(target, arguments, texts)
        return await invoke_function(target, name, arguments, texts)

    request = {"agent": agent, "name": name, "arguments": arguments}
    return await effect("tool", request, run, OUTCOME_CODEC)


async def execute_function_call(
    tools: Mapping[str, ToolTarget],
    call: FunctionCall | Mapping[str, Any],
    *,
    agent: str | None = None,
    texts: ToolTexts = PLAIN_TEXTS,
) -> ToolOutcome:
    """Run one legacy ``function_call`` (``{"name", "arguments"}``)."""
    name = str(call.get("name") or "")
    return await run_tool(tools, name, call.get("arguments"), agent=agent, texts=texts)


async def execute_tool_calls(
    tools: Mapping[str, ToolTarget],
    tool_calls: list[ToolCall],
    *,
    agent: str | None = None,
    texts: ToolTexts = PLAIN_TEXTS,
) -> list[ToolResponse]:
    """Run tool calls concurrently; responses are in call order, failures with ``is_error``."""
    outcomes = await asyncio.gather(
        *(execute_function_call(tools, c["function"], agent=agent, texts=texts) for c in tool_calls)
    )
    return [tool_response(c["id"], o) for c, o in zip(tool_calls, outcomes, strict=True)]
