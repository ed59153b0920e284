"""The ``Tool`` record: a Python callable plus everything needed to offer and call it."""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from convogen.tools.schema import (
    ParameterSpec,
    build_arguments,
    callable_name,
    check_tool_name,
    describe_function,
    make_tool_schema,
)


@dataclass(frozen=True)
class Tool:
    """A function the model may call: name, description, OpenAI schema and argument model."""

    name: str
    description: str
    func: Callable[..., Any] = field(repr=False)
    schema: dict[str, Any] = field(repr=False)
    is_async: bool
    args_model: type[BaseModel] = field(repr=False)
    parameters: tuple[ParameterSpec, ...] = field(default=(), repr=False)

    def validate(self, arguments: Mapping[str, Any]) -> BaseModel:
        """Validate raw arguments; raises ``pydantic.ValidationError`` naming bad fields."""
        return self.args_model.model_validate(dict(arguments))

    def bind(self, validated: BaseModel) -> tuple[list[Any], dict[str, Any]]:
        """Turn validated arguments into ``(args, kwargs)`` for calling ``func``."""
        given = validated.model_fields_set
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        positional = [p for p in self.parameters if p.positional_only]
        # Positional-only parameters must be passed in order, so fill earlier gaps with the
        # function's own defaults up to the last one the model supplied.
        last = max((i for i, p in enumerate(positional) if p.field in given), default=-1)
        for spec in positional[: last + 1]:
            args.append(getattr(validated, spec.field) if spec.field in given else spec.default)
        for spec in self.parameters:
            # Only supplied keywords are passed: the function applies its own defaults.
            if not spec.positional_only and spec.field in given:
                kwargs[spec.name] = getattr(validated, spec.field)
        return args, kwargs


def is_async_callable(func: Callable[..., Any]) -> bool:
    """Whether calling ``func`` returns a coroutine (coroutine functions, async ``__call__``)."""
    if inspect.iscoroutinefunction(func):
        return True
    target = func.func if isinstance(func, functools.partial) else func
    # Callable objects with an ``async def __call__`` are coroutine functions too.
    call = getattr(target, "__call__", None)  # noqa: B004 - the method itself is inspected
    return not inspect.isfunction(target) and inspect.iscoroutinefunction(call)


def function_to_tool(
    func: Callable[..., Any] | Tool, *, name: str | None = None, description: str | None = None
) -> Tool:
    """Build a ``Tool`` from a function (or re-name/re-describe an existing ``Tool``)."""
    if isinstance(func, Tool):
        if name is None and description is None:
            return func
        new_name = check_tool_name(name) if name is not None else func.name
        new_description = description if description is not None else func.description
        params = func.schema["function"]["parameters"]
        return dataclasses.replace(
            func,
            name=new_name,
            description=new_description,
            schema=make_tool_schema(new_name, new_description, params),
        )
    if not callable(func):
        raise TypeError(f"a tool must be callable, got {type(func).__name__}: {func!r:.100}")
    tool_name = check_tool_name(name if name is not None else callable_name(func))
    spec = build_arguments(func, owner=getattr(func, "__qualname__", None) or tool_name)
    text = describe_function(func, description)
    return Tool(
        name=tool_name,
        description=text,
        func=func,
        schema=make_tool_schema(tool_name, text, spec.parameters),
        is_async=is_async_callable(func),
        args_model=spec.model,
        parameters=spec.specs,
    )
