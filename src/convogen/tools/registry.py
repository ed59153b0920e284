"""A name-indexed collection of tools, for offering schemas and for executing calls."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from convogen.tools.tool import Tool, function_to_tool

logger = logging.getLogger("convogen.tools")


class ToolRegistry(Mapping[str, Tool]):
    """Tools by name: ``schemas()`` for the LLM side, ``registry[name]`` for execution."""

    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        for tool in tools:
            self.add(tool)

    def add(self, tool: Tool) -> Tool:
        """Add ``tool``; a different tool with the same name is replaced, with a warning."""
        if not isinstance(tool, Tool):
            raise TypeError(
                f"ToolRegistry.add expects a Tool (see function_to_tool), got "
                f"{type(tool).__name__}: {tool!r:.100}"
            )
        old = self._tools.get(tool.name)
        if old is not None and old is not tool:
            logger.warning("tool %r is already registered; replacing it", tool.name)
        self._tools[tool.name] = tool
        return tool

    def add_function(
        self,
        func: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> Tool:
        """Build a tool from ``func`` (see ``function_to_tool``), add it and return it."""
        return self.add(function_to_tool(func, name=name, description=description))

    def remove(self, name: str) -> Tool:
        """Remove and return the tool called ``name``; ``KeyError`` if there is none."""
        try:
            return self._tools.pop(name)
        except KeyError:
            raise KeyError(f"no tool named {name!r}; registered: {self.names}") from None

    @property
    def names(self) -> list[str]:
        """The registered tool names, in registration order."""
        return list(self._tools)

    def schemas(self) -> list[dict[str, Any]]:
        """The OpenAI tool schemas to send to the model (copies: safe to modify)."""
        return [copy.deepcopy(tool.schema) for tool in self._tools.values()]

    def __getitem__(self, name: str) -> Tool:
        return self._tools[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tools)

    def __len__(self) -> int:
        return len(self._tools)

    def __repr__(self) -> str:
        return f"ToolRegistry({self.names})"
