"""Tool registration on agents: offer tools to the model, execute them on its request."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from convogen.errors import ConfigError, NoLLMConfigError, ToolDescriptionMissingError

if TYPE_CHECKING:
    from convogen.tools import Tool, ToolRegistry

F = TypeVar("F", bound=Callable[..., Any])
_TOOL_ATTR = "__convogen_tool__"


class ToolUseMixin:
    """The classic tool API of ``ConversableAgent``; kept apart so the agent class stays small."""

    llm_config: dict[str, Any] | Literal[False]
    _function_map: dict[str, Callable[..., Any]]
    _tools: ToolRegistry | None

    @property
    def name(self) -> str:
        raise NotImplementedError  # the agent class provides it

    def _init_tools(self, function_map: dict[str, Callable[..., Any]] | None) -> None:
        self._function_map = {}
        # The tools room (pydantic schemas) is loaded only when an agent really has tools.
        self._tools = None
        if function_map:
            self.register_function(function_map)

    @property
    def function_map(self) -> dict[str, Callable[..., Any]]:
        """Functions this agent executes when asked, by name."""
        return self._function_map

    @property
    def tools(self) -> ToolRegistry:
        """Typed tools this agent executes (a function without type hints is called as is)."""
        if self._tools is None:
            from convogen.tools import ToolRegistry

            self._tools = ToolRegistry()
        return self._tools

    def can_execute_function(self, name: str | list[str]) -> bool:
        names = [name] if isinstance(name, str) else name
        return all(n in self._function_map for n in names)

    def register_function(self, function_map: Mapping[str, Callable[..., Any] | None]) -> None:
        """Add functions this agent executes; a None value removes that name."""
        for name, func in function_map.items():
            if func is None:
                self._function_map.pop(name, None)
                if name in self.tools:
                    self.tools.remove(name)
                continue
            if not callable(func):
                raise ConfigError(f"function_map[{name!r}]", func, "must be callable")
            if name in self._function_map:
                _warn_override(name)
            self._function_map[name] = func
            try:
                self.tools.add(function_to_tool(func, name=name))
            except ConfigError:
                # Classic function maps may hold untyped functions: they are called with the
                # decoded arguments as keywords, without schema validation.
                if name in self.tools:
                    self.tools.remove(name)

    def register_for_llm(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        api_style: Literal["tool", "function"] = "tool",
    ) -> Callable[[F], F]:
        """Decorator: offer the function to this agent's model as a tool (schema from hints)."""
        if api_style not in ("tool", "function"):
            raise ConfigError("api_style", api_style, "use 'tool' or 'function'")

        def decorator(func: F) -> F:
            if self.llm_config is False:
                raise NoLLMConfigError(
                    f"agent {self.name!r} has no LLM, so it cannot be offered tools "
                    "(To update a tool signature, agent must have an llm_config)"
                )
            tool = function_to_tool(_tool_of(func) or func, name=name, description=description)
            if not tool.description:
                raise ToolDescriptionMissingError()
            schema = _classic_schema(tool.schema)
            if api_style == "function":
                self.update_function_signature(dict(schema["function"]), is_remove=False)
            else:
                self.update_tool_signature(schema, is_remove=False)
            _remember_tool(func, tool)
            return func

        return decorator

    def register_for_execution(self, name: str | None = None) -> Callable[[F], F]:
        """Decorator: let this agent execute the function when a model asks for it."""

        def decorator(func: F) -> F:
            known = _tool_of(func)
            tool = function_to_tool(known or func, name=name)
            self.tools.add(tool)
            from convogen.agents.classic_private import wrap_function

            # As in 0.2, the function map holds a wrapper whose ``_origin`` is the function.
            self._function_map[tool.name] = wrap_function(tool.func)
            _remember_tool(func, tool)
            return func

        return decorator

    def update_tool_signature(self, tool_sig: dict[str, Any] | str, is_remove: bool) -> None:
        """Add a tool schema to (or remove a tool by name from) ``llm_config['tools']``."""
        config = self._require_llm_config()
        tools: list[dict[str, Any]] = list(config.get("tools", []))
        tool_name = tool_sig if isinstance(tool_sig, str) else tool_sig["function"]["name"]
        kept = [t for t in tools if t["function"]["name"] != tool_name]
        if not is_remove and len(kept) < len(tools):
            _warn_override(tool_name)
        tools = kept
        if not is_remove:
            if isinstance(tool_sig, str):
                raise ConfigError("tool_sig", tool_sig, "adding a tool needs its full schema")
            tools.append(tool_sig)
        if tools:
            config["tools"] = tools
        else:
            config.pop("tools", None)

    def update_function_signature(self, func_sig: dict[str, Any] | str, is_remove: bool) -> None:
        """Add a function schema to (or remove one by name from) ``llm_config['functions']``."""
        config = self._require_llm_config()
        functions: list[dict[str, Any]] = list(config.get("functions", []))
        func_name = func_sig if isinstance(func_sig, str) else func_sig["name"]
        kept = [f for f in functions if f["name"] != func_name]
        if not is_remove and len(kept) < len(functions):
            _warn_override(func_name)
        if not is_remove:
            if isinstance(func_sig, str):
                raise ConfigError("func_sig", func_sig, "adding a function needs its full schema")
            kept.append(func_sig)
        if kept:
            config["functions"] = kept
        else:
            config.pop("functions", None)

    def _require_llm_config(self) -> dict[str, Any]:
        if self.llm_config is False:
            raise NoLLMConfigError(
                f"agent {self.name!r} has no LLM "
                "(To update a tool signature, agent must have an llm_config)"
            )
        return self.llm_config


def _warn_override(name: str) -> None:
    warnings.warn(f"Function '{name}' is being overridden.", UserWarning, stacklevel=3)


def _classic_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as 0.2 offers it: without the closed-object flag on the parameters.

    Extra arguments are still refused when the tool is invoked.
    """
    params = schema["function"]["parameters"]
    if params.get("additionalProperties") is not False:
        return schema
    trimmed = {k: v for k, v in params.items() if k != "additionalProperties"}
    return {**schema, "function": {**schema["function"], "parameters": trimmed}}


def _tool_of(func: Callable[..., Any]) -> Tool | None:
    from convogen.tools import Tool

    tool = getattr(func, _TOOL_ATTR, None)
    return tool if isinstance(tool, Tool) else None


def function_to_tool(func: Any, *, name: str | None = None, description: str | None = None) -> Tool:
    """``convogen.tools.function_to_tool``, imported on first use."""
    from convogen.tools import function_to_tool as build

    return build(func, name=name, description=description)


def _remember_tool(func: Callable[..., Any], tool: Tool) -> None:
    # Stacked decorators (register_for_execution over register_for_llm) reuse the tool,
    # so a custom name given to one is known to the other.
    with contextlib.suppress(AttributeError, TypeError):
        setattr(func, _TOOL_ATTR, tool)
